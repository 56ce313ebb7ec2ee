// The built-in pack is compiled in with include_dir, which cargo does not track: rebuild
// whenever anything under content/ changes.
fn main() {
    println!("cargo:rerun-if-changed=content");
}
