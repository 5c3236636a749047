//! Reading the spec folder: YAML files into the raw types of [`raw`], with located syntax errors.

pub mod entries;
pub mod load;
pub mod raw;
pub mod recover;
pub mod strict;
