#!/usr/bin/env python3
"""Generates dictionaries/syllables.txt: the valid Vietnamese syllables, one per line (NFC, lower
case, tone marks in the modern position), sorted.

How it is made (see also the header of the output):
1. a systematic generator: every onset (27, incl. none) x every rime (~150 toneless rimes of the
   standard orthography) x the 6 tones, kept when Vietnamese spelling rules allow it:
   - c/k/q: k and gh/ngh only before i, e, ê (and y); c, g, ng, not before them (gi- aside);
     q only as qu, never before a rime starting with u/o (quốc = qu + ôc is the one o-rime allowed);
   - rimes starting with y (yên, yêu, yêm, yêt) only without an onset (or after qu/kh/ng for uyê);
   - rimes closed by p, t, c, ch take only the sắc and nặng tones;
   - gi + a rime starting with i is written g + rime (gìn, gì).
2. the union with every syllable of the dev corpus ground truth written in lower case, of 2+ letters
   with a vowel (to catch
   rare but real spellings the rules miss): `--truth DIR`.
The generator over-accepts a little (some combinations are not used in practice), which is what a
quality gate wants: OCR garbage (mixed case, stray symbols, impossible letter sequences) is
rejected, rare real words are not.

usage: python3 scripts/gen-syllables.py [--truth ../shared/corpus/dev] > dictionaries/syllables.txt
"""
import argparse, glob, json, os, re, sys, unicodedata

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
          "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
RIMES = """a ai ao au ay an ang anh am ap at ac ach
ăn ăng ăm ăp ăt ăc
âu ây ân âng âm âp ât âc
e eo en eng em ep et ec
ê êu ên ênh êm êp êt êch
i ia iu in inh im ip it ich
iêu iên iêng iêm iêp iêt iêc
o oi oa oai oao oay oan oang oanh oam oap oat oac oach oăn oăng oăm oăt oăc oe oeo oen oet
on ong om op ot oc oong ooc
ô ôi ôn ông ôm ôp ôt ôc
ơ ơi ơn ơm ơp ơt
u ui ua uân uâng uât uây uê uêch uênh uơ uy uya uyên uyêt uyt uych uynh uyn uyp un ung um up ut uc
uôi uôn uông uôm uôt uôc
ư ưi ưa ưu ưn ưng ưm ưt ưc ươi ươu ươn ương ươm ươp ươt ươc
y yêu yên yêm yêt""".split()
# Tone marks as combining characters: none, huyền, sắc, hỏi, ngã, nặng.
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
FRONT = ("i", "e", "ê", "y")


def tone_vowel(rime):
    """Index of the vowel carrying the tone (modern rule)."""
    vowels = [i for i, ch in enumerate(rime) if ch in "aăâeêioôơuưy"]
    for i in vowels:  # a vowel with a diacritic (ă â ê ô ơ ư) takes it; ươ: the ơ
        if rime[i] in "ăâêôơ":
            return i
    for i in vowels:
        if rime[i] == "ư":
            return i
    if len(vowels) == 1:
        return vowels[0]
    final = rime[vowels[-1] + 1:]
    if final:  # closed: the last vowel (oan -> oá n, uyn -> uýn)
        return vowels[-1]
    if rime in ("oa", "oe", "uy", "uơ"):  # modern: hoà -> hòa is the old/new question; new puts it on the 2nd
        return vowels[1]
    return vowels[-2] if len(vowels) >= 2 else vowels[0]


def with_tone(onset, rime, tone):
    i = tone_vowel(rime)
    s = rime[: i + 1] + TONES[tone] + rime[i + 1:]
    return unicodedata.normalize("NFC", onset + s)


def allowed(onset, rime, tone):
    if re.search("(p|t|c|ch)$", rime) and tone not in (0, 2, 5):
        return False
    if re.search("(p|t|c|ch)$", rime) and tone == 0:
        return False
    first = rime[0]
    if onset in ("k", "gh", "ngh") and first not in FRONT:
        return False
    if onset in ("c", "ng") and first in FRONT:
        return False
    if onset == "g" and first in ("e", "ê"):
        return False
    if onset == "gi" and first in ("i", "y"):
        return False
    if onset == "qu" and (first in ("u", "o") and not rime.startswith("ôc")):
        return False
    if rime.startswith("y") and len(rime) > 1 and onset not in ("", "qu"):
        return False
    if onset == "" and rime.startswith("uy") is False and rime.startswith("iê"):
        return False  # initial iê- is written yê-
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", help="corpus folder whose *.json ground truth adds syllables")
    a = ap.parse_args()
    out = set()
    for o in ONSETS:
        for r in RIMES:
            for t in range(6):
                if allowed(o, r, t):
                    out.add(with_tone(o, r, t))
    generated = len(out)
    extra = set()
    if a.truth:
        for f in glob.glob(os.path.join(a.truth, "*.json")):
            try:
                t = json.load(open(f))
            except Exception:
                continue
            if not isinstance(t, dict):
                continue
            for w in re.findall(r"\w+", t.get("text") or ""):
                w = unicodedata.normalize("NFC", w)
                vowel = re.search("[aăâeêioôơuưy]", unicodedata.normalize("NFD", w)[:1] + w)
                if w.isalpha() and w == w.lower() and len(w) > 1 and vowel and w not in out:
                    extra.add(w)
    print(f"# Vietnamese syllables: {generated} generated (onset x rime x tone, spelling rules), "
          f"{len(extra)} added from the dev ground truth. Made by scripts/gen-syllables.py.")
    for w in sorted(out | extra):
        print(w)


if __name__ == "__main__":
    main()
