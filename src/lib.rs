//! rmm: CERT-RMM assessments over a repository of YAML files.
pub mod diag;
pub mod source;
pub mod yaml;
pub mod catalog;
pub mod config;
pub mod load;
pub mod check;
pub mod model;
pub mod score;
pub mod gate;
pub mod output;
pub mod report;
