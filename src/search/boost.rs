//! Phrase boosts scored only where they can change the hits.
//!
//! A query of plain words ranks documents holding the words together above those holding them
//! scattered, by adding the scores of the words as phrases (on the subject, on the text). As
//! optional clauses of a boolean query, tantivy advances each phrase through every document that
//! has all its words, checking their positions: for common words, nearly every document, although
//! only the documents of the rest of the query (e.g. one type in one decade) can be hits.
//!
//! [`Boosted`] adds the same scores to the same documents, but asks a boost only about a document
//! of the base query (`seek_danger`: "is this one a match?", checking positions there only), and
//! when collecting the best hits not at all if the document cannot enter them even with that boost
//! and the following ones at their maximum BM25 score. Hits and scores are those of
//! `base AND (boost OR …)?` as a boolean query; only the work differs.

use tantivy::query::{
    Bm25Weight, BoostQuery, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

/// A base query plus optional phrase boosts (see the module).
#[derive(Debug)]
pub struct Boosted {
    base: Box<dyn Query>,
    boosts: Vec<(PhraseQuery, Score)>,
}

impl Clone for Boosted {
    fn clone(&self) -> Self {
        Boosted { base: self.base.box_clone(), boosts: self.boosts.clone() }
    }
}

impl Boosted {
    /// `base`, plus for each `(phrase, boost)` the score of the phrase times `boost` when the
    /// document holds it. Cheap boosts should come first.
    pub fn new(base: Box<dyn Query>, boosts: Vec<(PhraseQuery, Score)>) -> Boosted {
        Boosted { base, boosts }
    }
}

impl Query for Boosted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let base = self.base.weight(scoring)?;
        let EnableScoring::Enabled { statistics_provider, .. } = scoring else {
            // Boosts only add to scores: without scoring, the base query is the answer.
            return Ok(base);
        };
        let mut boosts = Vec::with_capacity(self.boosts.len());
        for (phrase, boost) in &self.boosts {
            let weight = BoostQuery::new(Box::new(phrase.clone()), *boost).weight(scoring)?;
            let terms = phrase.phrase_terms();
            let max = Bm25Weight::for_terms(statistics_provider, &terms)?.boost_by(*boost).max_score();
            boosts.push((weight, max));
        }
        // The most the boosts from the i-th on can add, with room for rounding.
        let mut rest: Vec<Score> = boosts.iter().map(|(_, max)| max * 1.001 + 1e-4).collect();
        for i in (0..rest.len().saturating_sub(1)).rev() {
            rest[i] += rest[i + 1];
        }
        Ok(Box::new(BoostedWeight { base, boosts: boosts.into_iter().map(|(w, _)| w).collect(), rest }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.base.query_terms(visitor);
        for (phrase, _) in &self.boosts {
            phrase.query_terms(visitor);
        }
    }
}

struct BoostedWeight {
    base: Box<dyn Weight>,
    boosts: Vec<Box<dyn Weight>>,
    /// `rest[i]`: an upper bound of what boosts `i..` can add to a score.
    rest: Vec<Score>,
}

impl BoostedWeight {
    fn boost_scorers(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Vec<Lazy>> {
        self.boosts.iter().map(|w| Ok(Lazy::new(w.scorer(reader, boost)?))).collect()
    }
}

impl Weight for BoostedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(BoostedScorer {
            base: self.base.scorer(reader, boost)?,
            boosts: self.boost_scorers(reader, boost)?,
            cached: None,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let base = self.base.explain(reader, doc)?;
        let mut scorer = self.scorer(reader, 1.0)?;
        let score = if scorer.seek(doc) == doc { scorer.score() } else { base.value() };
        let mut e = Explanation::new("base + phrase boosts", score);
        e.add_detail(base);
        for w in &self.boosts {
            if let Ok(b) = w.explain(reader, doc) {
                e.add_detail(b);
            }
        }
        Ok(e)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut base = self.base.scorer(reader, 1.0)?;
        let mut boosts = self.boost_scorers(reader, 1.0)?;
        let mut threshold = threshold;
        let mut doc = base.doc();
        while doc != TERMINATED {
            let mut score = base.score();
            let mut extra = 0.0;
            let mut reachable = true;
            for (i, b) in boosts.iter_mut().enumerate() {
                if score + extra + self.rest[i] <= threshold {
                    reachable = false;
                    break;
                }
                extra += b.score_at(doc);
            }
            score += extra;
            if reachable && score > threshold {
                threshold = callback(doc, score);
            }
            doc = base.advance();
        }
        Ok(())
    }
}

/// A boost scorer asked only "does document `d` match?", for increasing `d`.
struct Lazy {
    scorer: Box<dyn Scorer>,
    /// No match before this document.
    next: DocId,
    /// Whether the scorer stands on a match (`scorer.doc() == next`); after a `SeekLowerBound`
    /// it may only be asked `seek_danger` again, with a larger target.
    valid: bool,
}

impl Lazy {
    fn new(scorer: Box<dyn Scorer>) -> Lazy {
        let next = scorer.doc();
        Lazy { scorer, next, valid: true }
    }

    /// The boost's score on `doc` (0 when it does not match); `doc` never decreases.
    fn score_at(&mut self, doc: DocId) -> Score {
        if doc < self.next {
            return 0.0;
        }
        if !(self.valid && doc == self.next) {
            match self.scorer.seek_danger(doc) {
                SeekDangerResult::Found => {
                    self.next = doc;
                    self.valid = true;
                }
                SeekDangerResult::SeekLowerBound(next) => {
                    self.next = next;
                    self.valid = false;
                    return 0.0;
                }
            }
        }
        self.scorer.score()
    }
}

struct BoostedScorer {
    base: Box<dyn Scorer>,
    boosts: Vec<Lazy>,
    cached: Option<(DocId, Score)>,
}

impl DocSet for BoostedScorer {
    fn advance(&mut self) -> DocId {
        self.base.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.base.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        self.base.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.base.doc()
    }

    fn size_hint(&self) -> u32 {
        self.base.size_hint()
    }

    fn cost(&self) -> u64 {
        self.base.cost()
    }
}

impl Scorer for BoostedScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc();
        if let Some((d, s)) = self.cached {
            if d == doc {
                return s;
            }
        }
        let mut extra = 0.0;
        for b in &mut self.boosts {
            extra += b.score_at(doc);
        }
        let score = self.base.score() + extra;
        self.cached = Some((doc, score));
        score
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;

    use super::*;
    use crate::search::tests::{rec, searcher};

    /// Documents of a few words in random order, so that phrases are sometimes there.
    pub(crate) fn corpus() -> Vec<crate::record::Record> {
        let words = ["công", "tác", "kế", "hoạch", "đất", "đai", "thi", "đua", "văn", "thư"];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        (0..400)
            .map(|i| {
                let mut sentence =
                    |n: usize| (0..n).map(|_| words[next(words.len())]).collect::<Vec<_>>().join(" ");
                let subject = sentence(3 + i % 5);
                let body = sentence(10 + i % 37);
                rec(
                    &format!("d{i}"),
                    "Công văn",
                    ("1", "UBND"),
                    "2020-01-01",
                    "Sở Nội vụ",
                    &subject,
                    &[&body],
                )
            })
            .collect()
    }

    #[test]
    fn same_hits_and_scores_as_optional_clauses() {
        let (_t, s) = searcher(&corpus());
        let f = s.fields;
        let searcher = s.reader.searcher();
        for words in [["cong", "tac"], ["dat", "dai"], ["thu", "van"], ["ke", "hoach"]] {
            let term = |field, w: &str| Term::from_field_text(field, w);
            let base = || -> Box<dyn Query> {
                let must = |w| {
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(term(f.text_folded, w), IndexRecordOption::WithFreqs))
                            as Box<dyn Query>,
                    )
                };
                Box::new(BooleanQuery::new(vec![must(words[0]), must(words[1])]))
            };
            let phrase = |field| PhraseQuery::new(words.iter().map(|w| term(field, w)).collect());
            let phrases = vec![(phrase(f.subject_folded), 4.0), (phrase(f.text_folded), 2.0)];
            let mut clauses = vec![(Occur::Must, base())];
            for (p, b) in &phrases {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(p.clone()), *b)) as Box<dyn Query>,
                ));
            }
            let boolean = BooleanQuery::new(clauses);
            let boosted = Boosted::new(base(), phrases);
            assert_eq!(
                searcher.search(&boosted, &Count).unwrap(),
                searcher.search(&boolean, &Count).unwrap()
            );
            for (limit, offset) in [(10, 0), (3, 5), (400, 0)] {
                let top = TopDocs::with_limit(limit).and_offset(offset).order_by_score();
                let a = searcher.search(&boosted, &top).unwrap();
                let b = searcher.search(&boolean, &top).unwrap();
                assert_eq!(a.len(), b.len(), "{words:?}");
                assert!(!a.is_empty());
                for ((sa, _), (sb, _)) in a.iter().zip(&b) {
                    assert!((sa - sb).abs() < 1e-4, "{words:?}: {sa} vs {sb}");
                }
                if limit == 400 {
                    // Every document, each with its own score.
                    let mut a: Vec<_> = a.iter().map(|(s, d)| (*d, *s)).collect();
                    let mut b: Vec<_> = b.iter().map(|(s, d)| (*d, *s)).collect();
                    a.sort_by_key(|x| x.0);
                    b.sort_by_key(|x| x.0);
                    for ((da, sa), (db, sb)) in a.iter().zip(&b) {
                        assert_eq!(da, db);
                        assert!((sa - sb).abs() < 1e-4);
                    }
                }
            }
        }
    }
}
