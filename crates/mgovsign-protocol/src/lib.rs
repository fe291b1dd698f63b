//! mgovsign-protocol (under construction).
