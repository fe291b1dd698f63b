//! mgovsign-tsp (under construction).
