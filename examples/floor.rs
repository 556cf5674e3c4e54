//! The read floor for benchmarks: walk the same record folders as rmm and read every YAML file
//! on all cores, without parsing. `rmm validate`'s time is reported as a ratio to this.
//!
//! ```sh
//! cargo run --release --example floor -- bench/out/scale-10
//! ```

use rayon::prelude::*;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: floor DIR");
        std::process::exit(2);
    };
    let root = std::path::PathBuf::from(root);
    let files: Vec<std::path::PathBuf> = rmm::load::kinds::KINDS
        .iter()
        .flat_map(|(folder, _)| {
            walkdir::WalkDir::new(root.join(folder))
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        })
        .collect();
    let bytes: usize = files
        .par_iter()
        .map(|path| std::fs::read(path).map(|data| data.len()).unwrap_or(0))
        .sum();
    println!("{} files, {} bytes", files.len(), bytes);
}
