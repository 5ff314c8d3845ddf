//! Queries → hits over an archive's index.
//!
//! The query text uses tantivy's syntax (words, `"phrases"`, `AND`/`OR`, `-excluded`, `+required`);
//! words are combined with AND by default. Each word is looked up in the exact fields (diacritics
//! kept, boosted) and the folded fields, and in the subject (boosted over body text): a query typed
//! with diacritics ranks exact-diacritic matches first; typed without, it matches the folded
//! fields. A query that looks like a number/symbol (`4250/QĐ-UBND`) also matches the document
//! carrying that number exactly, ranked first. Filters (type, issuer, symbol, date range) restrict
//! the hits without changing their scores.
//!
//! Phrases cost the most (positions are read for every document holding all their words), so
//! the phrase boosts of a plain-words query, and the exact phrases of a quoted one (implied by its
//! folded phrases), are only asked about documents the rest of the query already found
//! (`boost.rs`); the scores are those of the plain boolean query.
//!
//! A hit's page: each page of the stored text is scored with the query's terms (weighted by
//! rarity); the best page gives the page number and the snippet.

mod boost;
mod guard;

use std::collections::{BTreeMap, HashSet};
use std::ops::{Bound, Range};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::error::Error;
use crate::index::{self, analyzer, Fields};
use crate::record::Record;
use crate::store::Archive;

/// A search: the query text, filters and the page of hits wanted.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// tantivy query syntax; empty or `*` matches every document (filters still apply).
    pub text: String,
    /// Document type (`Quyết định`, `quyet dinh`).
    pub doc_type: Option<String>,
    /// Words of the issuer, as a phrase (`Sở Nội vụ`, `uy ban nhan dan quan 1`).
    pub issuer: Option<String>,
    /// Symbol alone (`QĐ-UBND`) or number/symbol (`4250/QĐ-UBND`).
    pub symbol: Option<String>,
    /// Issued on or after (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Issued on or before (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Allow one edit per word (OCR errors), on the folded fields.
    pub fuzzy: bool,
    /// Hits wanted.
    pub limit: usize,
    /// Hits skipped first.
    pub offset: usize,
}

impl Query {
    /// A query for `text` with no filter, 10 hits.
    pub fn new(text: impl Into<String>) -> Query {
        Query { text: text.into(), limit: 10, ..Query::default() }
    }
}

/// A snippet of a page: text with the matched words marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// The fragment, on one line.
    pub text: String,
    /// Byte ranges of the matched words inside `text`.
    pub highlights: Vec<Range<usize>>,
}

/// One matching document.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The record.
    pub record: Record,
    /// Relevance (higher is better).
    pub score: f32,
    /// The page (1-based) where the query's words are, when the query has words.
    pub page: Option<u32>,
    /// The best fragment of that page, when the query has words.
    pub snippet: Option<Snippet>,
}

/// Score boosts: exact (diacritics) over folded, subject over body.
const BOOST_TEXT: f32 = 1.5;
const BOOST_TEXT_FOLDED: f32 = 1.0;
const BOOST_SUBJECT: f32 = 3.0;
const BOOST_SUBJECT_FOLDED: f32 = 2.0;
const BOOST_SYMBOL: f32 = 20.0;
const BOOST_PHRASE_SUBJECT: f32 = 4.0;
const BOOST_PHRASE_TEXT: f32 = 2.0;
const SNIPPET_CHARS: usize = 160;

/// An open index, ready for queries. Sees the index as of its last commit when opened.
pub struct Searcher {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl Searcher {
    /// Opens the index of an archive.
    pub fn open(archive: &Archive) -> Result<Searcher, Error> {
        let index = index::open(archive)?;
        Searcher::from_index(index)
    }

    /// A searcher over an opened index (analyzers registered, this version's schema).
    pub fn from_index(index: Index) -> Result<Searcher, Error> {
        analyzer::register(&index);
        let fields = Fields::of(&index)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(err)?;
        Ok(Searcher { index, reader, fields })
    }

    /// Sees the latest commit.
    pub fn reload(&self) -> Result<(), Error> {
        self.reader.reload().map_err(err)
    }

    /// The number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The hits of a query, best first (`q.offset` skipped, at most `q.limit`).
    pub fn search(&self, q: &Query) -> Result<Vec<Hit>, Error> {
        if q.limit == 0 {
            return Ok(Vec::new());
        }
        let built = self.build(q)?;
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&built.query, &TopDocs::with_limit(q.limit).and_offset(q.offset).order_by_score())
            .map_err(err)?;
        let pages = PageScorer::new(&searcher, built.highlight.as_deref(), self.fields.text_folded);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(err)?;
            let json = doc.get_first(self.fields.record).and_then(|v| v.as_str()).unwrap_or_default();
            let record: Record =
                serde_json::from_str(json).map_err(|e| Error::Index(format!("stored record: {e}")))?;
            let (page, snippet) = match &pages {
                Some(p) => p.best_page(&record.text),
                None => (None, None),
            };
            hits.push(Hit { record, score, page, snippet });
        }
        Ok(hits)
    }

    /// The number of documents matching a query (limit and offset ignored).
    pub fn count(&self, q: &Query) -> Result<usize, Error> {
        let built = self.build(q)?;
        self.reader.searcher().search(&built.query, &Count).map_err(err)
    }

    fn build(&self, q: &Query) -> Result<Built, Error> {
        let f = &self.fields;
        let text = analyzer::nfc(q.text.trim()).into_owned();
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut highlight = None;
        let mut boosts = None;
        if !text.is_empty() && text != "*" {
            let mut parser = self.parser();
            let plain =
                guard::guard_exclusions(parser.parse_query(&text).map_err(|e| Error::Usage(explain(&e)))?);
            let main = if q.fuzzy {
                parser.set_field_fuzzy(f.text_folded, false, 1, true);
                parser.set_field_fuzzy(f.subject_folded, false, 1, true);
                guard::guard_exclusions(parser.parse_query(&text).map_err(|e| Error::Usage(explain(&e)))?)
            } else {
                plain.box_clone()
            };
            boosts = self.phrase_boost(&text);
            let main = match self.quoted_phrase(&text) {
                Some(phrase) => Box::new(phrase),
                None => main,
            };
            let main = match symbol_like(&text) {
                Some(key) => {
                    let exact: Box<dyn TQuery> = Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.symbol, &key),
                            IndexRecordOption::Basic,
                        )),
                        BOOST_SYMBOL,
                    ));
                    Box::new(BooleanQuery::new(vec![(Occur::Should, main), (Occur::Should, exact)]))
                }
                None => main,
            };
            clauses.push((Occur::Must, main));
            highlight = Some(plain);
        }
        let filter = |q: Box<dyn TQuery>| -> (Occur, Box<dyn TQuery>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        if let Some(t) = q.doc_type.as_deref().filter(|s| !s.trim().is_empty()) {
            let term = Term::from_field_text(f.doc_type, &analyzer::keyword(t));
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if let Some(s) = q.symbol.as_deref().filter(|s| !s.trim().is_empty()) {
            let term = Term::from_field_text(f.symbol, &analyzer::keyword(s));
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if let Some(i) = q.issuer.as_deref().filter(|s| !s.trim().is_empty()) {
            let mut a = analyzer::folded();
            let terms: Vec<Term> =
                analyzer::tokens(&mut a, i).iter().map(|t| Term::from_field_text(f.issuer, t)).collect();
            let q: Box<dyn TQuery> = match terms.len() {
                0 => return Err(Error::Usage(format!("--issuer {i:?} has no words"))),
                1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
                _ => Box::new(PhraseQuery::new(terms)),
            };
            clauses.push(filter(q));
        }
        let from = date_bound(q.from.as_deref(), "--from")?;
        let to = date_bound(q.to.as_deref(), "--to")?;
        if from.is_some() || to.is_some() {
            if let (Some(a), Some(b)) = (from, to) {
                if a > b {
                    return Err(Error::Usage("--from is after --to".into()));
                }
            }
            let bound = |d: Option<tantivy::DateTime>| match d {
                Some(d) => Bound::Included(Term::from_field_date_for_search(f.issued_date, d)),
                None => Bound::Unbounded,
            };
            clauses.push(filter(Box::new(RangeQuery::new(bound(from), bound(to)))));
        }
        let query: Box<dyn TQuery> = match clauses.len() {
            0 => Box::new(AllQuery),
            1 if highlight.is_some() => clauses.remove(0).1,
            _ => {
                if highlight.is_none() {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        };
        let query = match boosts {
            Some(b) => Box::new(boost::Boosted::new(query, b)),
            None => query,
        };
        Ok(Built { query, highlight })
    }
}

impl Searcher {
    /// For a query of plain words (no operator, quote or field), the words as phrases on the
    /// subject and on the text, with their boosts, added to the scores of the documents holding
    /// them ([`boost::Boosted`]): documents holding the words together rank above those holding
    /// them scattered.
    fn phrase_boost(&self, text: &str) -> Option<Vec<(PhraseQuery, f32)>> {
        if !text
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || ('\u{0300}'..='\u{036f}').contains(&c))
        {
            return None;
        }
        if text.split_whitespace().any(|w| matches!(w, "AND" | "OR" | "NOT")) {
            return None;
        }
        let mut a = analyzer::folded();
        let toks = analyzer::tokens(&mut a, text);
        if toks.len() < 2 {
            return None;
        }
        let f = &self.fields;
        let phrase = |field, boost| {
            (PhraseQuery::new(toks.iter().map(|t| Term::from_field_text(field, t)).collect()), boost)
        };
        // The subject first: short, so cheap to check, and often enough to rule out the text's.
        Some(vec![phrase(f.subject_folded, BOOST_PHRASE_SUBJECT), phrase(f.text_folded, BOOST_PHRASE_TEXT)])
    }
}

impl Searcher {
    /// The parser of query texts: the default fields and their boosts, words combined with AND.
    fn parser(&self) -> QueryParser {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.text, f.text_folded, f.subject, f.subject_folded, f.issuer],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.text, BOOST_TEXT);
        parser.set_field_boost(f.text_folded, BOOST_TEXT_FOLDED);
        parser.set_field_boost(f.subject, BOOST_SUBJECT);
        parser.set_field_boost(f.subject_folded, BOOST_SUBJECT_FOLDED);
        parser
    }

    /// A query that is one quoted phrase of at least two words, as the query parser reads it (the
    /// phrase on each default field, boosted, scores added), but evaluated in less time: a document
    /// holding the phrase with diacritics in a field holds it folded in the folded field too, so
    /// the folded phrases find the documents and the exact ones are asked about those only
    /// ([`boost::Boosted`]).
    fn quoted_phrase(&self, text: &str) -> Option<boost::Boosted> {
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains(['"', '\\']) {
            return None;
        }
        let f = &self.fields;
        let phrase = |field, exact: bool| -> Option<PhraseQuery> {
            let mut a = if exact { analyzer::exact() } else { analyzer::folded() };
            let mut terms = Vec::new();
            a.token_stream(inner)
                .process(&mut |t| terms.push((t.position, Term::from_field_text(field, &t.text))));
            (terms.len() >= 2).then(|| PhraseQuery::new_with_offset_and_slop(terms, 0))
        };
        let boosted = |q: PhraseQuery, boost: f32| -> (Occur, Box<dyn TQuery>) {
            let q: Box<dyn TQuery> = Box::new(q);
            (Occur::Should, if boost == 1.0 { q } else { Box::new(BoostQuery::new(q, boost)) })
        };
        let base = BooleanQuery::new(vec![
            boosted(phrase(f.text_folded, false)?, BOOST_TEXT_FOLDED),
            boosted(phrase(f.subject_folded, false)?, BOOST_SUBJECT_FOLDED),
            boosted(phrase(f.issuer, false)?, 1.0),
        ]);
        let exact = vec![(phrase(f.subject, true)?, BOOST_SUBJECT), (phrase(f.text, true)?, BOOST_TEXT)];
        Some(boost::Boosted::new(Box::new(base), exact))
    }
}

struct Built {
    query: Box<dyn TQuery>,
    /// The query without fuzziness, whose terms are highlighted.
    highlight: Option<Box<dyn TQuery>>,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Index(e.to_string())
}

fn explain(e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match e {
        E::FieldDoesNotExist(f) => format!(
            "unknown field `{f}:` (fields: text, text_folded, subject, subject_folded, issuer; put the word in quotes to search for a colon)"
        ),
        E::AllButQueryForbidden => "the query only excludes words (`-word`); add a word to look for".into(),
        other => format!("cannot read the query: {other}"),
    }
}

/// The keyword of a query that is one number/symbol token like `4250/QĐ-UBND`.
fn symbol_like(text: &str) -> Option<String> {
    let t = text.trim().trim_matches('"');
    let ok = t.contains('/') && !t.chars().any(|c| c.is_whitespace() || c == ':') && t.len() <= 60;
    ok.then(|| analyzer::keyword(t))
}

fn date_bound(s: Option<&str>, opt: &str) -> Result<Option<tantivy::DateTime>, Error> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => index::parse_date(s)
            .map(Some)
            .ok_or_else(|| Error::Usage(format!("{opt} {s:?} is not a date; write YYYY-MM-DD"))),
    }
}

/// Scores the pages of a hit's text with the query's terms, and cuts the snippet.
struct PageScorer {
    weights: BTreeMap<String, f32>,
    analyzer: TextAnalyzer,
    snippets: SnippetGenerator,
}

impl PageScorer {
    fn new(
        searcher: &tantivy::Searcher,
        query: Option<&dyn TQuery>,
        folded: tantivy::schema::Field,
    ) -> Option<PageScorer> {
        let query = query?;
        let mut terms: HashSet<Term> = HashSet::new();
        let mut analyzer = analyzer::folded();
        query.query_terms(&mut |t, _| {
            if let Some(s) = t.value().as_str() {
                // Exact and subject terms count too, folded like the text they are looked for in.
                for tok in analyzer::tokens(&mut analyzer, s) {
                    terms.insert(Term::from_field_text(folded, &tok));
                }
            }
        });
        let n = searcher.num_docs().max(1) as f32;
        let mut weights = BTreeMap::new();
        for t in terms {
            let df = searcher.doc_freq(&t).unwrap_or(0) as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            if let Some(s) = t.value().as_str() {
                weights.insert(s.to_string(), idf);
            }
        }
        if weights.is_empty() {
            return None;
        }
        let snippets = SnippetGenerator::new(weights.clone(), analyzer::folded(), folded, SNIPPET_CHARS);
        Some(PageScorer { weights, analyzer, snippets })
    }

    /// The best page (1-based) and its snippet; `None` when no term is found on any page.
    fn best_page(&self, text: &str) -> (Option<u32>, Option<Snippet>) {
        let text = analyzer::nfc(text);
        let mut best: Option<(f32, usize, &str)> = None;
        let mut a = self.analyzer.clone();
        for (i, page) in text.split('\u{c}').enumerate() {
            let mut found: HashSet<String> = HashSet::new();
            let mut hits = 0usize;
            let mut ts = a.token_stream(page);
            while ts.advance() {
                let tok = &ts.token().text;
                if self.weights.contains_key(tok) {
                    hits += 1;
                    if !found.contains(tok) {
                        found.insert(tok.clone());
                    }
                }
            }
            // Distinct terms first (a page with every word beats one repeating a word), then count.
            let score: f32 =
                found.iter().filter_map(|t| self.weights.get(t)).sum::<f32>() * 1000.0 + hits as f32;
            if score > 0.0 && best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, i, page));
            }
        }
        let Some((_, i, page)) = best else {
            return (None, None);
        };
        let s = self.snippets.snippet(page);
        let text: String =
            s.fragment().chars().map(|c| if c.is_ascii_whitespace() { ' ' } else { c }).collect();
        let snippet = Snippet { text, highlights: s.highlighted().to_vec() };
        (Some(i as u32 + 1), Some(snippet))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::index::Writer;

    /// A record with every field set (text pages joined by form feeds).
    pub(crate) fn rec(
        id: &str,
        doc_type: &str,
        num_sym: (&str, &str),
        date: &str,
        issuer: &str,
        subject: &str,
        pages: &[&str],
    ) -> Record {
        Record {
            schema: crate::record::SCHEMA.into(),
            id: id.into(),
            source: format!("{id}.jpg"),
            pages: None,
            page_count: pages.len() as u32,
            language: "vi".into(),
            doc_type: Some(doc_type.into()),
            doc_number: Some(num_sym.0.into()),
            doc_symbol: Some(num_sym.1.into()),
            issued_date: Some(date.into()),
            issued_place: Some("Thành phố Hồ Chí Minh".into()),
            issuer: Some(issuer.into()),
            issuer_parent: None,
            subject: Some(subject.into()),
            signer_name: Some("Võ Văn Hoan".into()),
            signer_title: Some("Phó Chủ tịch".into()),
            signer_authority: Some("KT. Chủ tịch".into()),
            recipients: vec!["Như trên".into()],
            urgency: None,
            confidentiality: None,
            text: pages.join("\u{c}"),
            confidence: 0.9,
            field_confidence: BTreeMap::new(),
            review: vec![],
            method: "ocr".into(),
            engine: "test".into(),
            processed_at: "2025-01-01T00:00:00Z".into(),
            file_code: None,
            doc_ordinal: None,
        }
    }

    fn corpus() -> Vec<Record> {
        vec![
            rec("a1", "Quyết định", ("4250", "QĐ-UBND"), "2023-05-10", "Ủy ban nhân dân Quận 1",
                "Phê duyệt kế hoạch phòng cháy chữa cháy",
                &["ỦY BAN NHÂN DÂN QUẬN 1\nSố: 4250/QĐ-UBND\nQUYẾT ĐỊNH\nPhê duyệt kế hoạch phòng cháy chữa cháy",
                  "Điều 2. Giao Trưởng phòng Tài chính thực hiện.\nCộng hoà xã hội"]),
            rec("b2", "Công văn", ("12", "UBND-VX"), "2024-01-20", "Ủy ban nhân dân Quận 3",
                "Tăng cường quản lý đất đai",
                &["Căn cứ Quyết định số 4250/QĐ-UBND của Ủy ban nhân dân Quận 1.\nÔng Đinh Văn Nam phụ trách."]),
            rec("c3", "Thông báo", ("05", "TB-SNV"), "2022-12-31", "Sở Nội vụ",
                "Lịch tiếp công dân",
                &["SỞ NỘI VỤ\nThông báo lịch tiếp công dân tháng một.\nnhân dân ủy ban ban dân"]),
        ]
    }

    pub(crate) fn searcher(records: &[Record]) -> (tempfile::TempDir, Searcher) {
        let t = tempfile::tempdir().unwrap();
        let archive = Archive::at(t.path());
        let mut w = Writer::open(&archive, 1, 20_000_000).unwrap();
        for r in records {
            w.add(r).unwrap();
        }
        w.finish().unwrap();
        let s = Searcher::open(&archive).unwrap();
        (t, s)
    }

    fn ids(s: &Searcher, q: &Query) -> Vec<String> {
        s.search(q).unwrap().into_iter().map(|h| h.record.id).collect()
    }

    #[test]
    fn folded_query_finds_diacritics() {
        let (_t, s) = searcher(&corpus());
        assert_eq!(ids(&s, &Query::new("phong chay chua chay")), ["a1"]);
        assert_eq!(ids(&s, &Query::new("Phòng cháy")), ["a1"]);
        assert_eq!(ids(&s, &Query::new("tiep cong dan")), ["c3"]);
    }

    #[test]
    fn diacritics_rank_exact_matches_first() {
        let (_t, s) = searcher(&corpus());
        // "Đinh" (a name) is in b2; "định" (decision) is in a1 and b2's citation. Typed with
        // diacritics, the exact form wins; typed without, both match.
        let hits = ids(&s, &Query::new("Đinh"));
        assert_eq!(hits[0], "b2");
        let hits = ids(&s, &Query::new("định"));
        assert_eq!(hits.len(), 2);
        assert_eq!(ids(&s, &Query::new("dinh")).len(), 2);
    }

    #[test]
    fn old_and_new_tone_placement_match() {
        let (_t, s) = searcher(&corpus());
        assert_eq!(ids(&s, &Query::new("\"cộng hòa\"")), ["a1"]);
        assert_eq!(ids(&s, &Query::new("hoà")), ["a1"]);
    }

    #[test]
    fn phrases_need_adjacent_words() {
        let (_t, s) = searcher(&corpus());
        let mut got = ids(&s, &Query::new("\"ủy ban nhân dân\""));
        got.sort();
        assert_eq!(got, ["a1", "b2"]);
        // c3 has the words but not as a phrase.
        assert_eq!(ids(&s, &Query::new("ủy ban nhân dân")).len(), 3);
        assert_eq!(ids(&s, &Query::new("\"uy ban nhan dan\" -\"dat dai\"")), ["a1"]);
    }

    #[test]
    fn quoted_phrase_scores_as_the_parser_reads_it() {
        let mut c = corpus();
        c.extend(crate::search::boost::tests::corpus());
        let (_t, s) = searcher(&c);
        let searcher = s.reader.searcher();
        let all = TopDocs::with_limit(1000).order_by_score();
        let mut checked = 0;
        for q in [
            "\"ủy ban nhân dân\"",
            "\"uy ban nhan dan\"",
            "\"Cộng hoà xã\"",
            "\"cộng hòa\"",
            "\"tiep cong dan\"",
            "\"công tác\"",
            "\"cong tac ke hoach\"",
            "\"đất đai\"",
            "\"Phòng cháy chữa cháy\"",
        ] {
            let text = analyzer::nfc(q).into_owned();
            let ours = s.quoted_phrase(&text).expect(q);
            let parsed = s.parser().parse_query(&text).unwrap();
            let mut a = searcher.search(&ours, &all).unwrap();
            let mut b = searcher.search(&parsed, &all).unwrap();
            assert_eq!(a.len(), b.len(), "{q}");
            a.sort_by_key(|x| x.1);
            b.sort_by_key(|x| x.1);
            for ((sa, da), (sb, db)) in a.iter().zip(&b) {
                assert_eq!(da, db, "{q}");
                assert!((sa - sb).abs() < 1e-4, "{q}: {sa} vs {sb}");
            }
            for limit in [1, 3, 10] {
                let top = TopDocs::with_limit(limit).order_by_score();
                let a: Vec<f32> = searcher.search(&ours, &top).unwrap().iter().map(|x| x.0).collect();
                let b: Vec<f32> = searcher.search(&parsed, &top).unwrap().iter().map(|x| x.0).collect();
                assert_eq!(a.len(), b.len());
                assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-4), "{q}: {a:?} vs {b:?}");
            }
            assert_eq!(searcher.search(&ours, &Count).unwrap(), searcher.search(&parsed, &Count).unwrap());
            checked += usize::from(!a.is_empty());
        }
        assert!(checked >= 7, "{checked}");
        // Not one phrase of two words or more: left to the parser.
        for q in ["\"ủy\"", "\"a\" \"b c\"", "\"a b\"~2", "ủy ban", "\"a \\\" b\""] {
            assert!(s.quoted_phrase(q).is_none(), "{q}");
        }
    }

    #[test]
    fn filters_restrict_hits() {
        let (_t, s) = searcher(&corpus());
        let q = |f: &dyn Fn(&mut Query)| {
            let mut q = Query::new("");
            f(&mut q);
            let mut v = ids(&s, &q);
            v.sort();
            v
        };
        assert_eq!(q(&|q| q.doc_type = Some("quyet dinh".into())), ["a1"]);
        assert_eq!(q(&|q| q.doc_type = Some("Công văn".into())), ["b2"]);
        assert_eq!(q(&|q| q.issuer = Some("ủy ban nhân dân".into())), ["a1", "b2"]);
        assert_eq!(q(&|q| q.issuer = Some("so noi vu".into())), ["c3"]);
        assert_eq!(q(&|q| q.symbol = Some("4250/QĐ-UBND".into())), ["a1"]);
        assert_eq!(q(&|q| q.symbol = Some("qd-ubnd".into())), ["a1"]);
        assert_eq!(q(&|q| q.from = Some("2023-01-01".into())), ["a1", "b2"]);
        assert_eq!(q(&|q| q.to = Some("2023-05-10".into())), ["a1", "c3"]);
        assert_eq!(
            q(&|q| {
                q.from = Some("2023-01-01".into());
                q.to = Some("2023-12-31".into());
            }),
            ["a1"]
        );
        let mut f = Query::new("uy ban");
        f.doc_type = Some("Công văn".into());
        assert_eq!(ids(&s, &f), ["b2"]);
        assert_eq!(s.count(&f).unwrap(), 1);
    }

    #[test]
    fn number_symbol_query_ranks_that_document_first() {
        let (_t, s) = searcher(&corpus());
        let hits = ids(&s, &Query::new("4250/QĐ-UBND"));
        assert_eq!(hits, ["a1", "b2"]);
        assert_eq!(ids(&s, &Query::new("4250/QD-UBND"))[0], "a1");
    }

    #[test]
    fn hit_names_the_page_and_highlights() {
        let (_t, s) = searcher(&corpus());
        let hits = s.search(&Query::new("truong phong tai chinh")).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].page, Some(2));
        let sn = hits[0].snippet.as_ref().unwrap();
        let marked: Vec<&str> = sn.highlights.iter().map(|r| &sn.text[r.clone()]).collect();
        assert_eq!(marked, ["Trưởng", "phòng", "Tài", "chính"]);
        assert!(!sn.text.contains('\n'));
        let hits = s.search(&Query::new("\"4250/QĐ-UBND\"")).unwrap();
        assert_eq!(hits[0].page, Some(1));
    }

    #[test]
    fn readding_a_record_replaces_it() {
        let mut c = corpus();
        let mut again = c[0].clone();
        again.subject = Some("Sửa đổi kế hoạch".into());
        again.text = "Sửa đổi kế hoạch".into();
        c.push(again);
        let (_t, s) = searcher(&c);
        assert_eq!(s.num_docs(), 3);
        assert_eq!(ids(&s, &Query::new("sua doi")), ["a1"]);
        assert!(ids(&s, &Query::new("phong chay")).is_empty());
    }

    #[test]
    fn fuzzy_tolerates_one_ocr_error() {
        let (_t, s) = searcher(&corpus());
        assert!(ids(&s, &Query::new("phong chav")).is_empty());
        let mut q = Query::new("phong chav");
        q.fuzzy = true;
        assert_eq!(ids(&s, &q), ["a1"]);
    }

    #[test]
    fn bad_queries_are_usage_errors() {
        let (_t, s) = searcher(&corpus());
        for bad in ["nosuchfield:x", "-only"] {
            assert!(matches!(s.search(&Query::new(bad)), Err(Error::Usage(_))), "{bad}");
        }
        let mut q = Query::new("x");
        q.from = Some("10/05/2023".into());
        assert!(matches!(s.search(&q), Err(Error::Usage(_))));
    }

    #[test]
    fn paging_and_odd_inputs() {
        let (_t, s) = searcher(&corpus());
        let mut q = Query::new("uy ban");
        q.limit = 1;
        let first = ids(&s, &q);
        q.offset = 1;
        let second = ids(&s, &q);
        assert_eq!(first.len(), 1);
        assert_eq!(second.len(), 1);
        assert_ne!(first, second);
        q.limit = 0;
        assert!(ids(&s, &q).is_empty());
        for odd in ["\"", "((", "\u{0301}", "AND", "*", "   ", ":", "a:b:c", "\"\"", "~", "^2"] {
            let _ = s.search(&Query::new(odd));
        }
    }
}
