//! Writes a synthetic spec of N endpoints (see `workapi_codegen::synthetic`) into a folder and
//! prints the `[features]` lines it needs, for the compile-time benchmark (`bench/compile-time.sh`).
//!
//! `cargo run -p workapi-codegen --example synthetic_spec -- DIR N`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next()) else {
        return Err("usage: synthetic_spec DIR N".into());
    };
    let n: usize = n.parse()?;
    let dir = std::path::PathBuf::from(dir);
    for (path, text) in workapi_codegen::synthetic::spec_files(n) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().ok_or("a file in a folder")?)?;
        std::fs::write(p, text)?;
    }
    print!("{}", workapi_codegen::synthetic::features(n));
    Ok(())
}
