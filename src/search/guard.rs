//! A workaround for tantivy 0.27: an excluded phrase (`-"a b"`) is asked by the exclusion to
//! `seek_danger` to a document *before* the one it already stands on, which trips a debug
//! assertion in the phrase scorer (a panic in debug builds). [`guard_exclusions`] wraps every
//! excluded clause so that such a backwards seek answers "not here, look from the current
//! document on" without reaching the inner scorer — the right answer, as a scorer only stands
//! on a document after passing every earlier one.

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term};

/// Rewrites a parsed query, guarding the clauses of every `MustNot`.
pub fn guard_exclusions(q: Box<dyn Query>) -> Box<dyn Query> {
    let Some(b) = q.downcast_ref::<BooleanQuery>() else {
        return q;
    };
    let clauses = b
        .clauses()
        .iter()
        .map(|(occur, sub)| {
            let sub = guard_exclusions(sub.box_clone());
            let sub: Box<dyn Query> = if *occur == Occur::MustNot { Box::new(Guard(sub)) } else { sub };
            (*occur, sub)
        })
        .collect();
    Box::new(BooleanQuery::with_minimum_required_clauses(clauses, b.get_minimum_number_should_match()))
}

#[derive(Debug)]
struct Guard(Box<dyn Query>);

impl Clone for Guard {
    fn clone(&self) -> Self {
        Guard(self.0.box_clone())
    }
}

impl Query for Guard {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct GuardWeight(Box<dyn Weight>);

impl Weight for GuardWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct GuardScorer(Box<dyn Scorer>);

impl DocSet for GuardScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if target <= doc {
            return doc;
        }
        self.0.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        let doc = self.0.doc();
        if target < doc {
            return SeekDangerResult::SeekLowerBound(doc);
        }
        self.0.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for GuardScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
