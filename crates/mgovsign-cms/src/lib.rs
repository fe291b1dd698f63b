//! mgovsign-cms (under construction).
