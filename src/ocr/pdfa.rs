//! PDF/A-2b for the searchable PDFs (`--pdf`): Circular 05/2025/TT-BNV asks for PDF/A when paper
//! is digitized.
//!
//! Tesseract's PDF renderer writes a plain PDF: page images (JPEG or Flate, grey or RGB) with an
//! invisible text layer in its embedded GlyphLessFont (text rendering mode 3, so glyph widths are
//! not checked). What PDF/A-2b adds, done here with lopdf:
//! - an XMP metadata stream (uncompressed) in the catalog, with `pdfaid:part` 2 and
//!   `pdfaid:conformance` B, and the title, dates, creator tool and producer;
//! - an Info dictionary equal to the XMP (same title, producer, creator and dates);
//! - an output intent (`GTS_PDFA1`) with an embedded sRGB ICC profile, which makes the
//!   device colour spaces of the images (DeviceGray, DeviceRGB) allowed;
//! - a document ID in the trailer;
//! - a `%PDF-1.7` header followed by a comment of four bytes above 127.
//!
//! The profile is `assets/sRGB.icc` from Debian's icc-profiles-free (ICC v2, 6.9 KB, zlib
//! licence; see `assets/README.md`).

use lopdf::{dictionary, Document, Object, Stream, StringFormat};
use time::OffsetDateTime;

/// The sRGB ICC profile embedded as output intent.
pub const SRGB_ICC: &[u8] = include_bytes!("../../assets/sRGB.icc");

/// What the PDF/A metadata says about one document.
#[derive(Debug, Clone)]
pub struct Meta<'a> {
    /// The title (e.g. the type, number and subject of the document).
    pub title: &'a str,
    /// The engine that made the text layer, e.g. `tesseract 5.3.0 vie`.
    pub engine: &'a str,
    /// The record id (hex SHA-256 of the scan): the first 16 bytes are the PDF's document ID.
    pub id: &'a str,
    /// Creation time.
    pub date: OffsetDateTime,
}

/// The PDF `pdf` made PDF/A-2b, or `None` when lopdf cannot read or write it.
pub fn convert(pdf: &[u8], meta: &Meta<'_>) -> Option<Vec<u8>> {
    let mut doc = Document::load_mem(pdf).ok()?;
    doc.version = "1.7".into();
    doc.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];
    let creator = format!("sohoa {}", env!("CARGO_PKG_VERSION"));
    let producer = format!("sohoa {} ({}, lopdf)", env!("CARGO_PKG_VERSION"), meta.engine);
    let (pdf_date, xmp_date) = dates(meta.date);

    let xmp = xmp(meta.title, &creator, &producer, &xmp_date);
    let metadata = doc
        .add_object(Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp.into_bytes()));
    let profile = doc.add_object(Stream::new(dictionary! { "N" => 3 }, SRGB_ICC.to_vec()));
    let intent = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::string_literal("sRGB IEC61966-2.1"),
        "Info" => Object::string_literal("sRGB IEC61966-2.1"),
        "DestOutputProfile" => profile,
    };
    let info = doc.add_object(dictionary! {
        "Title" => text_string(meta.title),
        "Creator" => text_string(&creator),
        "Producer" => text_string(&producer),
        "CreationDate" => Object::string_literal(pdf_date.as_str()),
        "ModDate" => Object::string_literal(pdf_date.as_str()),
    });
    let root = doc.trailer.get(b"Root").ok()?.as_reference().ok()?;
    let catalog = doc.get_object_mut(root).ok()?.as_dict_mut().ok()?;
    catalog.set("Metadata", metadata);
    catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    catalog.set("Lang", Object::string_literal("vi"));
    let file_id = document_id(meta.id);
    doc.trailer.set("Info", info);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(file_id.clone(), StringFormat::Hexadecimal),
            Object::String(file_id, StringFormat::Hexadecimal),
        ]),
    );
    doc.trailer.remove(b"Encrypt");
    // Objects no longer referenced (Tesseract's Info) are left out of the file.
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out).ok()?;
    Some(out)
}

/// 16 bytes for the trailer's ID: from the record id (hex), or a hash of it when it is not hex.
fn document_id(id: &str) -> Vec<u8> {
    let hex: Vec<u8> = (0..id.len() / 2)
        .map_while(|i| id.get(2 * i..2 * i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .take(16)
        .collect();
    if hex.len() == 16 {
        return hex;
    }
    use sha2::Digest;
    sha2::Sha256::digest(id.as_bytes())[..16].to_vec()
}

/// The date as a PDF date string and as an XMP date, both in UTC.
fn dates(t: OffsetDateTime) -> (String, String) {
    let t = t.to_offset(time::UtcOffset::UTC);
    let (y, mo, d, h, mi, s) = (t.year(), t.month() as u8, t.day(), t.hour(), t.minute(), t.second());
    (
        format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}+00'00'"),
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00"),
    )
}

/// A PDF text string: PDFDocEncoding for ASCII, UTF-16BE with a byte order mark otherwise.
fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::string_literal(s)
    } else {
        let mut b = vec![0xFE, 0xFF];
        b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(b, StringFormat::Hexadecimal)
    }
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\t' || c == '\n' || c >= ' ')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The XMP packet.
fn xmp(title: &str, creator: &str, producer: &str, date: &str) -> String {
    let (title, creator, producer) = (xml_escape(title), xml_escape(creator), xml_escape(producer));
    format!(
        concat!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "  <rdf:Description rdf:about=\"\"\n",
            "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n",
            "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n",
            "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n",
            "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n",
            "   <pdfaid:part>2</pdfaid:part>\n",
            "   <pdfaid:conformance>B</pdfaid:conformance>\n",
            "   <dc:format>application/pdf</dc:format>\n",
            "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "   <dc:language><rdf:Bag><rdf:li>vi</rdf:li></rdf:Bag></dc:language>\n",
            "   <xmp:CreateDate>{date}</xmp:CreateDate>\n",
            "   <xmp:ModifyDate>{date}</xmp:ModifyDate>\n",
            "   <xmp:MetadataDate>{date}</xmp:MetadataDate>\n",
            "   <xmp:CreatorTool>{creator}</xmp:CreatorTool>\n",
            "   <pdf:Producer>{producer}</pdf:Producer>\n",
            "  </rdf:Description>\n",
            " </rdf:RDF>\n",
            "</x:xmpmeta>\n",
            "<?xpacket end=\"w\"?>"
        ),
        title = title,
        date = date,
        creator = creator,
        producer = producer
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF like Tesseract's: a grey image and an Info dictionary.
    fn plain_pdf() -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        let img = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 1,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            vec![0, 255],
        ));
        let content = doc.add_object(Stream::new(dictionary! {}, b"q 10 0 0 5 0 0 cm /Im1 Do Q".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 10.into(), 5.into()],
            "Contents" => content, "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => img } },
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        let info = doc.add_object(dictionary! { "Producer" => Object::string_literal("Tesseract") });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn meta() -> Meta<'static> {
        Meta {
            title: "Quyết định 4250/QĐ-UBND <&>",
            engine: "tesseract 5.3.0 vie",
            id: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
            date: OffsetDateTime::from_unix_timestamp(1_764_240_000).unwrap(),
        }
    }

    #[test]
    fn a_plain_pdf_gets_the_pdfa_markers() {
        let out = convert(&plain_pdf(), &meta()).expect("converted");
        assert!(out.starts_with(b"%PDF-1.7\n%"));
        assert!(out[10..14].iter().all(|&b| b > 127), "binary comment");
        let doc = Document::load_mem(&out).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let catalog = doc.catalog().unwrap();
        // XMP: uncompressed, with the PDF/A identification and the escaped title.
        let md = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let md = doc.get_object(md).unwrap().as_stream().unwrap();
        assert!(md.dict.get(b"Filter").is_err());
        assert_eq!(md.dict.get(b"Subtype").unwrap().as_name().unwrap(), b"XML");
        let xmp = String::from_utf8(md.content.clone()).unwrap();
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
        assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(xmp.contains("Quyết định 4250/QĐ-UBND &lt;&amp;&gt;"));
        assert!(xmp.contains("<xmp:CreateDate>2025-11-27T10:40:00+00:00</xmp:CreateDate>"));
        // Output intent with an embedded RGB ICC profile.
        let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
        let intent = intents[0].as_dict().unwrap();
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
        let icc = intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap();
        let icc = doc.get_object(icc).unwrap().as_stream().unwrap();
        assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
        assert_eq!(&icc.content[36..40], b"acsp");
        assert_eq!(&icc.content[16..20], b"RGB ");
        // Info equals the XMP: same producer and dates.
        let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = doc.get_object(info).unwrap().as_dict().unwrap();
        let producer = info.get(b"Producer").unwrap().as_str().unwrap();
        assert!(xmp.contains(&format!("<pdf:Producer>{}</pdf:Producer>", String::from_utf8_lossy(producer))));
        assert_eq!(info.get(b"CreationDate").unwrap().as_str().unwrap(), b"D:20251127104000+00'00'");
        let title = info.get(b"Title").unwrap().as_str().unwrap();
        assert_eq!(&title[..2], &[0xFE, 0xFF]);
        // The trailer ID: twice the first 16 bytes of the record id.
        let id = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
        assert_eq!(id.len(), 2);
        assert_eq!(
            id[0].as_str().unwrap(),
            &[0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]
        );
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        assert!(convert(b"%PDF-1.5\nnot a pdf", &meta()).is_none());
        assert!(convert(b"", &meta()).is_none());
    }

    #[test]
    fn ids_that_are_not_hex_still_give_16_bytes() {
        assert_eq!(document_id("abc").len(), 16);
        assert_eq!(document_id("zz").len(), 16);
    }
}
