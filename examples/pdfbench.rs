//! Times PDF page loading (text layer or hayro rendering) against OCR, page by page:
//! `cargo run --release --example pdfbench -- FILE.pdf...`
//! Prints one tab-separated line per page: file, page, kind, width, height, dpi, load s, OCR s.

use std::path::PathBuf;
use std::time::Instant;

use sohoa::discover::Input;
use sohoa::load::{self, Limits, PdfText};
use sohoa::ocr::OcrConfig;
use sohoa::page::LoadedPage;
use sohoa::preprocess::{self, Preprocess};

fn main() -> anyhow::Result<()> {
    let cfg = OcrConfig::default();
    let datapath = cfg.check()?;
    let mut engine = cfg.engine(&datapath)?;
    let limits = Limits::default();
    println!("file\tpage\tkind\twidth\theight\tdpi\tload_s\tocr_s");
    for arg in std::env::args().skip(1) {
        let path = PathBuf::from(&arg);
        let input = Input { source: arg.clone(), files: vec![path], page_names: None };
        let pages = match load::open(&input, &limits, None).and_then(|o| o.pages) {
            Ok(p) => p,
            Err(e) => {
                println!("{arg}\t-\terror:{}\t\t\t\t\t", e.kind.code());
                continue;
            }
        };
        for p in &pages {
            let t = Instant::now();
            let loaded = load::load_page_with(p, &limits, PdfText::Auto);
            let load_s = t.elapsed().as_secs_f64();
            match loaded {
                Ok(LoadedPage::Text(tp)) => {
                    println!("{arg}\t{}\ttext\t{}\t{}\t-\t{load_s:.3}\t-", p.index + 1, tp.width, tp.height)
                }
                Ok(LoadedPage::Image(img)) => {
                    let (w, h, dpi) = (img.width, img.height, img.dpi);
                    let t = Instant::now();
                    let img = preprocess::apply(img, Preprocess::default());
                    let _ = engine.recognize(&img, None);
                    let ocr_s = t.elapsed().as_secs_f64();
                    println!("{arg}\t{}\timage\t{w}\t{h}\t{dpi}\t{load_s:.3}\t{ocr_s:.3}", p.index + 1);
                }
                Err(e) => println!("{arg}\t{}\terror:{}\t\t\t\t{load_s:.3}\t", p.index + 1, e.kind.code()),
            }
        }
    }
    Ok(())
}
