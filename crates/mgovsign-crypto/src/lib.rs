//! mgovsign-crypto (under construction).
