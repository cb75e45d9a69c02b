//! Progress bars for long CLI jobs (indicatif).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting `unit`, drawn on stderr (hidden when stderr is not a terminal).
pub fn bar(unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let template = format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{per_sec}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
