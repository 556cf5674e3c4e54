//! rmm: CERT-RMM assessments over a repository of YAML files.
pub mod catalog;
pub mod check;
pub mod config;
pub mod diag;
pub mod gate;
pub mod load;
pub mod model;
pub mod output;
pub mod report;
pub mod score;
pub mod source;
pub mod yaml;
