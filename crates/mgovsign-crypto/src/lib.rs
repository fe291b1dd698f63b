//! mgovsign-crypto (under construction).

pub mod pkcs12;
