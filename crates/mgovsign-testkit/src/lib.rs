//! mgovsign-testkit (under construction).
