fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(2).unwrap_or("spec".into()));
    match workapi_codegen::load(&dir) {
        Ok(s) => println!("ok: {} vendors", s.vendors.len()),
        Err(d) => { eprintln!("{d}"); std::process::exit(1) }
    }
}
