//! mgovsign-pki (under construction).
