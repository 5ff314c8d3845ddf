//! Inputs → documents: `pub fn discover(args, grouping) -> Discovery`.
//!
//! Command-line paths are files or folders; folders are walked recursively in natural order
//! (`p2` before `p10`), hidden entries skipped, and only files that look like scans or PDFs taken
//! (a folder of scans often holds notes and metadata too; those are counted, not failed). A file
//! named explicitly is always attempted, whatever its name. Grouping then makes documents.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{ErrorKind, FileError};

/// File name endings (lowercase) that a folder walk takes as documents.
pub const DOCUMENT_EXTENSIONS: [&str; 18] = [
    "gif", "png", "jpg", "jpeg", "jpe", "tif", "tiff", "pdf", "bmp", "webp", "jp2", "j2k", "jpx", "jpf",
    "pnm", "pbm", "pgm", "ppm",
];

/// How files become documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One file is one document.
    #[default]
    File,
    /// `doc_p1.jpg`, `doc_p2.jpg`, … (also `-p1`, `_page1`) in one folder are one document `doc`.
    Stem,
    /// Every folder that holds files is one document, its files the pages in natural order.
    Dir,
}

/// One document to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name written as `source`: relative to the scan root, `/`-separated.
    pub source: String,
    /// The files, in page order (one for an ungrouped document).
    pub files: Vec<PathBuf>,
    /// The files' names as written in `pages` (relative like `source`), for grouped documents.
    pub page_names: Option<Vec<String>>,
}

/// A file found by the walk, with the name it is known by.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    path: PathBuf,
    name: String,
    /// The folder argument it was found under, as given (empty for a file argument).
    root: String,
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Documents, in input order.
    pub inputs: Vec<Input>,
    /// Inputs that could not even be listed (missing path, unreadable folder).
    pub failed: Vec<(String, FileError)>,
    /// Files a folder walk passed over because they are not scans (e.g. `.json`, `.txt`).
    pub ignored: usize,
}

/// Lists the documents under `args` (files or folders), grouped as asked.
pub fn discover(args: &[PathBuf], grouping: Grouping) -> Discovery {
    let mut d = Discovery::default();
    let mut found: Vec<Found> = Vec::new();
    for arg in args {
        let given = slash(arg);
        match std::fs::metadata(arg) {
            Err(e) => d.failed.push((given, not_found(arg, &e))),
            Ok(m) if m.is_dir() => walk(arg, &given, "", &mut found, &mut d),
            Ok(_) => found.push(Found { path: arg.clone(), name: given, root: String::new() }),
        }
    }
    d.inputs = group(found, grouping);
    d
}

/// Reads one path per line (stdin lists): blank lines and `#` comments skipped, spaces kept.
pub fn read_list(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect()
}

fn not_found(path: &Path, e: &std::io::Error) -> FileError {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder; check the path".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied; check the file's rights".to_string(),
        _ => e.to_string(),
    };
    FileError::new(ErrorKind::Unreadable, format!("{}: {why}", path.display()))
}

fn slash(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

fn is_document_name(name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((_, ext)) => DOCUMENT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        None => false,
    }
}

fn walk(dir: &Path, root: &str, prefix: &str, found: &mut Vec<Found>, d: &mut Discovery) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let name = if prefix.is_empty() { slash(dir) } else { prefix.to_string() };
            d.failed.push((name, not_found(dir, &e)));
            return;
        }
    };
    let mut list: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !is_hidden(n))
        .collect();
    list.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    for (name, path) in list {
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        // Follows symlinks: a link to a folder of scans is walked like the folder.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, root, &rel, found, d),
            Ok(_) if is_document_name(&name) => found.push(Found { path, name: rel, root: root.to_string() }),
            Ok(_) => d.ignored += 1,
            Err(e) => d.failed.push((rel, not_found(&path, &e))),
        }
    }
}

/// Splits `doc_p12.jpg` into (`doc`, 12): the page-suffix convention of grouped scans.
fn page_stem(name: &str) -> Option<(String, u64)> {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let digits_at = stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits_at == stem.len() {
        return None;
    }
    let num: u64 = stem[digits_at..].parse().ok()?;
    let head = &stem[..digits_at];
    let lower = head.to_ascii_lowercase();
    for marker in ["_page", "-page", "_p", "-p", " p"] {
        if lower.ends_with(marker) && head.len() > marker.len() {
            return Some((head[..head.len() - marker.len()].to_string(), num));
        }
    }
    None
}

fn group(found: Vec<Found>, grouping: Grouping) -> Vec<Input> {
    let single = |f: Found| Input { source: f.name, files: vec![f.path], page_names: None };
    match grouping {
        Grouping::File => found.into_iter().map(single).collect(),
        Grouping::Stem | Grouping::Dir => {
            // Key → (position of first file, source name, pages with their order key).
            let mut groups: BTreeMap<String, (usize, Vec<(u64, Found)>)> = BTreeMap::new();
            let mut singles: Vec<(usize, Found)> = Vec::new();
            for (pos, f) in found.into_iter().enumerate() {
                let (dir, file) = match f.name.rsplit_once('/') {
                    Some((d, n)) => (d.to_string(), n.to_string()),
                    None => (String::new(), f.name.clone()),
                };
                let key = match grouping {
                    Grouping::Stem => match page_stem(&file) {
                        Some((stem, n)) => {
                            let key = if dir.is_empty() { stem } else { format!("{dir}/{stem}") };
                            let entry = groups.entry(key).or_insert((pos, Vec::new()));
                            entry.1.push((n, f));
                            continue;
                        }
                        None => None,
                    },
                    _ if dir.is_empty() && f.root.is_empty() => None,
                    _ if dir.is_empty() => {
                        Some(f.root.rsplit('/').find(|s| !s.is_empty()).unwrap_or(".").to_string())
                    }
                    _ => Some(dir),
                };
                match key {
                    Some(k) => {
                        let n = groups.get(&k).map(|g| g.1.len() as u64).unwrap_or(0);
                        groups.entry(k).or_insert((pos, Vec::new())).1.push((n, f));
                    }
                    None => singles.push((pos, f)),
                }
            }
            let mut out: Vec<(usize, Input)> = singles.into_iter().map(|(p, f)| (p, single(f))).collect();
            for (key, (pos, mut pages)) in groups {
                pages.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| natural_cmp(&a.1.name, &b.1.name)));
                let names: Vec<String> = pages.iter().map(|(_, f)| f.name.clone()).collect();
                let files: Vec<PathBuf> = pages.into_iter().map(|(_, f)| f.path).collect();
                out.push((pos, Input { source: key, files, page_names: Some(names) }));
            }
            out.sort_by_key(|(p, _)| *p);
            out.into_iter().map(|(_, i)| i).collect()
        }
    }
}

/// Natural order: runs of digits compare by value (`p2` < `p10`), the rest by character.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (trim_zeros(&a[..da]), trim_zeros(&b[..db]));
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb)).then_with(|| da.cmp(&db));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&c| c == b'0').count();
    &d[k..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["p10.png", "p2.png", "p1.png", "a.png", "p02.png"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["a.png", "p1.png", "p2.png", "p02.png", "p10.png"]);
    }

    #[test]
    fn page_stems() {
        assert_eq!(page_stem("dev-002_p1.jpg"), Some(("dev-002".into(), 1)));
        assert_eq!(page_stem("doc-page12.tif"), Some(("doc".into(), 12)));
        assert_eq!(page_stem("dev-003.jpg"), None);
        assert_eq!(page_stem("_p1.jpg"), None);
    }

    #[test]
    fn walks_groups_and_skips_hidden_and_non_scans() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("sub/.hidden")).unwrap();
        for f in ["b_p10.png", "b_p2.png", "a.jpg", "notes.json", ".x.png", "sub/c.tif", "sub/.hidden/d.png"]
        {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        let d = discover(&[root.to_path_buf()], Grouping::File);
        let names: Vec<_> = d.inputs.iter().map(|i| i.source.as_str()).collect();
        assert_eq!(names, ["a.jpg", "b_p2.png", "b_p10.png", "sub/c.tif"]);
        assert_eq!(d.ignored, 1);

        let d = discover(&[root.to_path_buf()], Grouping::Stem);
        let names: Vec<_> = d.inputs.iter().map(|i| i.source.as_str()).collect();
        assert_eq!(names, ["a.jpg", "b", "sub/c.tif"]);
        assert_eq!(d.inputs[1].page_names.as_deref().unwrap(), ["b_p2.png", "b_p10.png"]);

        let d = discover(&[root.to_path_buf()], Grouping::Dir);
        let names: Vec<_> = d.inputs.iter().map(|i| i.source.as_str()).collect();
        let root_name = root.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(names, [root_name.as_str(), "sub"]);
        assert_eq!(d.inputs[0].files.len(), 3);
    }

    #[test]
    fn missing_paths_are_errors_not_panics() {
        let d = discover(&[PathBuf::from("/no/such/dir/x.png")], Grouping::File);
        assert!(d.inputs.is_empty());
        assert_eq!(d.failed.len(), 1);
        assert_eq!(d.failed[0].1.kind, ErrorKind::Unreadable);
    }

    #[test]
    fn stdin_lists() {
        let l = read_list("a b.png\r\n\n# comment\n/x/y.tif\n");
        assert_eq!(l, [PathBuf::from("a b.png"), PathBuf::from("/x/y.tif")]);
    }
}

/// One part of a deterministic partition of the inputs, for running a batch on many machines.
///
/// A document belongs to shard `hash(source) mod count`, where `source` is its path relative to
/// the scan root: every shard computes the same partition without coordination and without
/// reading the files, and adding files never moves other files between shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 0-based.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl Shard {
    /// Parses `K/N` (0 ≤ K < N), `slurm` (SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, offset by
    /// SLURM_ARRAY_TASK_MIN) or `k8s/N` (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job).
    pub fn parse(spec: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let num = |name: &str| -> Result<u32, String> {
            let v = env(name).ok_or_else(|| format!("{name} is not set"))?;
            v.trim().parse().map_err(|_| format!("{name}={v} is not a number"))
        };
        let (index, count) = if spec == "slurm" {
            let id = num("SLURM_ARRAY_TASK_ID")?;
            let min = if env("SLURM_ARRAY_TASK_MIN").is_some() { num("SLURM_ARRAY_TASK_MIN")? } else { 0 };
            (
                id.checked_sub(min).ok_or("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")?,
                num("SLURM_ARRAY_TASK_COUNT")?,
            )
        } else if let Some(n) = spec.strip_prefix("k8s/") {
            (
                num("JOB_COMPLETION_INDEX")?,
                n.parse().map_err(|_| format!("--shard {spec}: N must be a number"))?,
            )
        } else {
            let (k, n) = spec
                .split_once('/')
                .ok_or_else(|| format!("--shard {spec}: expected K/N, slurm or k8s/N"))?;
            let k = k.parse().map_err(|_| format!("--shard {spec}: K must be a number"))?;
            let n = n.parse().map_err(|_| format!("--shard {spec}: N must be a number"))?;
            (k, n)
        };
        if count == 0 || index >= count {
            return Err(format!("shard {index}/{count}: the index must be below the count (0-based)"));
        }
        Ok(Shard { index, count })
    }

    /// Whether the document with this `source` belongs to this shard.
    pub fn contains(&self, source: &str) -> bool {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(source.as_bytes());
        let v = u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
        v % self.count as u64 == self.index as u64
    }
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn specs() {
        assert_eq!(Shard::parse("1/4", env(&[])).unwrap(), Shard { index: 1, count: 4 });
        assert!(Shard::parse("4/4", env(&[])).is_err());
        assert!(Shard::parse("x", env(&[])).is_err());
        let slurm =
            [("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")];
        assert_eq!(Shard::parse("slurm", env(&slurm)).unwrap(), Shard { index: 2, count: 3 });
        assert_eq!(
            Shard::parse("k8s/5", env(&[("JOB_COMPLETION_INDEX", "4")])).unwrap(),
            Shard { index: 4, count: 5 }
        );
        assert!(Shard::parse("slurm", env(&[])).unwrap_err().contains("SLURM_ARRAY_TASK_ID"));
    }

    #[test]
    fn every_source_is_in_exactly_one_shard_and_membership_is_stable() {
        let sources: Vec<String> = (0..500).map(|i| format!("box{}/doc-{i}.tif", i % 7)).collect();
        let shards: Vec<Shard> = (0..4).map(|index| Shard { index, count: 4 }).collect();
        let mut sizes = [0usize; 4];
        for s in &sources {
            let owners: Vec<usize> = (0..4).filter(|&k| shards[k].contains(s)).collect();
            assert_eq!(owners.len(), 1, "{s}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 80), "unbalanced: {sizes:?}");
        // Membership depends only on the source itself, not on what else is in the batch.
        assert_eq!(shards[2].contains("box1/doc-8.tif"), shards[2].contains("box1/doc-8.tif"));
    }
}
