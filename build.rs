// The built-in curriculum is compiled in with include_dir, which cargo does not track: rebuild
// whenever anything under content/ changes. Each built-in pack's content hash is worked out here
// too, so a start need not read every file to learn that the installed packs are current; it is
// the hash `Pack::load` gives (src/content/parse.rs, `read_all`), which a test checks.

use std::path::{Path, PathBuf};

fn files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).expect("content/ is readable") {
        let path = entry.expect("content/ is readable").path();
        if path.is_dir() {
            files(root, &path, out);
        } else {
            let relative = path.strip_prefix(root).expect("inside the pack");
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((parts.join("/"), path));
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=content");
    let mut hashes = String::from("&[\n");
    let mut packs: Vec<PathBuf> = std::fs::read_dir("content")
        .expect("content/ is readable")
        .map(|e| e.expect("content/ is readable").path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    packs.sort();
    for pack in packs {
        let mut found = Vec::new();
        files(&pack, &pack, &mut found);
        found.sort();
        let mut hasher = blake3::Hasher::new();
        for (name, path) in &found {
            let bytes = std::fs::read(path).expect("a content file is readable");
            hasher.update(name.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        let folder = pack.file_name().expect("a folder").to_string_lossy();
        hashes += &format!(
            "    ({folder:?}, {:?}),\n",
            hasher.finalize().to_hex().as_str()
        );
    }
    hashes += "]\n";
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("builtin_hashes.rs"), hashes).expect("OUT_DIR is writable");
}
