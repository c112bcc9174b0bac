//! feedwright's integration tests: one binary, a module per area.

mod util;

mod architecture;
mod cli;
mod cron;
mod differential;
mod features;
mod fetch;
mod hostile;
mod install;
mod jekyll_compat;
mod kramdown;
mod library;
mod liquid;
mod markdown;
mod outputs;
mod plain_folder;
mod props;
mod reporting;
mod site_model;
mod styled;
mod validate;
