//! Finds taxonomy aliases in script-folded text: one Aho-Corasick automaton
//! per taxonomy kind (leftmost-longest, so blockers and longer names win over
//! the short aliases inside them), then per-match guards: Latin word
//! boundaries, acronym case, Hangul and katakana word starts, context words,
//! and organization names.

use super::taxonomy::{KindRules, SharedMode, TagDef, fold_key};
use crate::normalize::script::fold_chars;
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use std::collections::HashMap;
use std::sync::Arc;

/// How the case of the text must agree with the alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    /// Any case (`semiconductor`, `电池`).
    Any,
    /// The first letter must be upper-case (`China`, not `china`).
    FirstUpper,
    /// Byte-exact (`AI`, `ESG`, `EV`, `U.S.`).
    Exact,
}

impl CaseRule {
    fn of(alias: &str) -> CaseRule {
        let letters = alias.chars().filter(|c| c.is_ascii_alphabetic());
        let has_upper = alias.chars().any(|c| c.is_ascii_uppercase());
        let has_lower = alias.chars().any(|c| c.is_ascii_lowercase());
        if letters.count() > 0 && has_upper && !has_lower && alias.is_ascii() {
            CaseRule::Exact
        } else if alias.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            CaseRule::FirstUpper
        } else {
            CaseRule::Any
        }
    }

    fn accepts(self, found: &str, folded_alias: &str) -> bool {
        match self {
            CaseRule::Any => true,
            CaseRule::FirstUpper => found.chars().next().is_some_and(|c| c.is_uppercase()),
            CaseRule::Exact => found == folded_alias,
        }
    }
}

/// Context words for one target, folded like the text.
#[derive(Debug, Clone, Default)]
struct Context {
    require_near: Vec<String>,
    reject_near: Vec<String>,
    langs: Vec<String>,
}

/// What a pattern credits when it matches.
#[derive(Debug, Clone)]
struct Target {
    tag: usize,
    /// The alias as written in the taxonomy, for explanations.
    alias: Arc<str>,
    /// 1.0 for an alias, the abbreviation weight for a compound member.
    weight: f32,
    case: CaseRule,
    /// The alias folded (case kept), for the exact-case check.
    folded: Arc<str>,
    context: Option<Arc<Context>>,
    /// Also a common word or a given name: needs another place of the same
    /// country in the story, and does not count before a capitalized word.
    ambiguous: bool,
    /// The primary languages whose stories the alias counts in; empty for
    /// every language (see `KindRules::language_bound`).
    langs: Arc<[String]>,
}

/// One pattern of the automaton; no targets means a blocker.
#[derive(Debug, Clone, Default)]
struct Pattern {
    targets: Vec<Target>,
    /// The word may begin before the match (`*werft`: `Meyer-Werft`).
    open_start: bool,
    /// The word may go on after the match (`Arzneimittel*`:
    /// `Arzneimittelhersteller`).
    open_end: bool,
}

/// The part of an alias that is matched: without the `*` that marks a word
/// going on before or after it (`Arzneimittel*`), outer spaces trimmed.
pub(crate) fn word_part(alias: &str) -> &str {
    alias.trim().trim_matches('*').trim()
}

/// Weight of an abbreviation inside a compound (`浙` in `沪苏浙皖`).
pub(crate) const ABBREVIATION_WEIGHT: f32 = 0.4;

/// The rules the matcher needs from a taxonomy file.
pub(crate) struct MatcherRules<'a> {
    rules: &'a KindRules,
}

impl<'a> From<&'a KindRules> for MatcherRules<'a> {
    fn from(rules: &'a KindRules) -> Self {
        MatcherRules { rules }
    }
}

/// One accepted match.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) tag: usize,
    pub(crate) alias: Arc<str>,
    /// Weight factor before the field weight (abbreviation, organization).
    pub(crate) weight: f32,
    /// The match sits inside an organization name.
    pub(crate) organization: bool,
    /// The alias is ambiguous: it counts only when the story names another
    /// place of the same country (see `score`).
    pub(crate) needs_support: bool,
}

/// A text folded with [`fold_text`] and its ASCII lower-case form, which
/// the case-insensitive automaton of every kind reads: made once per text
/// instead of once per kind.
pub(crate) struct Haystack<'a> {
    folded: &'a str,
    lowered: std::borrow::Cow<'a, str>,
}

impl<'a> Haystack<'a> {
    /// The haystack of a folded text.
    pub(crate) fn new(folded: &'a str) -> Haystack<'a> {
        let lowered = if folded.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(folded.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(folded)
        };
        Haystack { folded, lowered }
    }

    /// Whether the text has an ASCII capital letter: exactly when
    /// lower-casing it made a copy ([`Haystack::new`]).
    fn has_ascii_upper(&self) -> bool {
        matches!(self.lowered, std::borrow::Cow::Owned(_))
    }
}

/// One automaton and what each of its patterns credits.
///
/// The automaton steps over characters, not bytes (a double-array
/// Aho-Corasick): a CJK character is one transition instead of three, and
/// the whole automaton is a few MB that stay in cache, where a byte DFA over
/// the same aliases was tens of MB and missed the cache on every byte.
#[derive(Clone)]
struct PatternSet {
    /// `None` when the set has no patterns (the automaton needs one).
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    patterns: Vec<Pattern>,
    /// Keys are ASCII lower-case and the text is lowered before matching.
    case_insensitive: bool,
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet")
            .field("patterns", &self.patterns.len())
            .field("case_insensitive", &self.case_insensitive)
            .finish_non_exhaustive()
    }
}

impl PatternSet {
    fn build(keys: &[String], patterns: Vec<Pattern>, case_insensitive: bool) -> PatternSet {
        let automaton = (!keys.is_empty()).then(|| {
            let values = keys.iter().enumerate().map(|(i, k)| {
                let key = match case_insensitive {
                    true => k.to_ascii_lowercase(),
                    false => k.clone(),
                };
                (key, i as u32)
            });
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(values)
                .expect("taxonomy patterns fit the automaton")
        });
        PatternSet {
            automaton,
            patterns,
            case_insensitive,
        }
    }

    fn memory_usage(&self) -> usize {
        self.automaton.as_ref().map_or(0, |a| a.heap_bytes())
    }
}

/// Collects patterns and their targets while a matcher is built.
#[derive(Default)]
struct SetBuilder {
    keys: Vec<String>,
    by_key: HashMap<String, usize>,
    patterns: Vec<Pattern>,
}

impl SetBuilder {
    /// The pattern of a key, created on first use.
    fn slot(&mut self, key: String) -> &mut Pattern {
        let next = self.patterns.len();
        let i = *self.by_key.entry(key.clone()).or_insert(next);
        if i == next {
            self.keys.push(key);
            self.patterns.push(Pattern::default());
        }
        &mut self.patterns[i]
    }
}

/// The compiled matcher of one taxonomy kind: words (ASCII case-insensitive,
/// with blockers and compounds) and acronyms (`AI`, `US`: case-sensitive, so
/// the `ai` of every `said` is never even a candidate).
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    words: PatternSet,
    acronyms: PatternSet,
    near_window: usize,
    organization_weight: f32,
    organization_suffixes: Vec<String>,
    organization_prefixes: Vec<String>,
    /// Primary language → endings a Latin word may take after an alias.
    word_endings: HashMap<String, Vec<String>>,
    /// Folded one-character abbreviation → its tag (the first that lists it).
    abbreviations: HashMap<char, usize>,
    /// Characters that make the abbreviation before them count (`资` of `韩资`).
    abbreviation_affixes: Vec<char>,
    /// Primary languages whose stories read standalone abbreviation runs.
    abbreviation_runs: Vec<String>,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher::build(
            &[],
            &HashMap::new(),
            &MatcherRules::from(&KindRules::default()),
        )
    }
}

impl Matcher {
    /// Compiles every alias, compound and blocker of one kind.
    pub(crate) fn build(
        defs: &[TagDef],
        index: &HashMap<String, usize>,
        rules: &MatcherRules<'_>,
    ) -> Matcher {
        let rules = rules.rules;
        let mut words = SetBuilder::default();
        let mut acronyms = SetBuilder::default();
        let shared: HashMap<String, (Vec<usize>, SharedMode)> = rules
            .shared_aliases
            .iter()
            .map(|r| {
                let tags = r
                    .tags
                    .iter()
                    .filter_map(|t| index.get(t).copied())
                    .collect();
                (fold_key(&r.alias), (tags, r.mode))
            })
            .collect();

        for blocker in &rules.blockers {
            let key = fold_key(blocker);
            if !key.is_empty() {
                words.slot(key);
            }
        }
        let mut abbreviations = HashMap::new();
        for (i, def) in defs.iter().enumerate() {
            for a in &def.abbreviations {
                let folded = fold_key(a);
                let mut chars = folded.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    abbreviations.entry(c).or_insert(i);
                }
            }
            let contexts: HashMap<&str, Arc<Context>> = def
                .context
                .iter()
                .map(|r| {
                    let ctx = Context {
                        require_near: r.require_near.iter().map(|w| fold_key(w)).collect(),
                        reject_near: r.reject_near.iter().map(|w| fold_key(w)).collect(),
                        langs: r.langs.clone(),
                    };
                    (r.alias.as_str(), Arc::new(ctx))
                })
                .collect();
            for (lang, alias) in def
                .names
                .iter()
                .flat_map(|(lang, aliases)| aliases.iter().map(move |a| (lang, a)))
            {
                let key = fold_key(alias);
                let langs = if rules.language_bound.contains(lang) {
                    bound_languages(def, &key, &rules.language_bound)
                } else {
                    Arc::from([])
                };
                if key.is_empty() {
                    continue;
                }
                let credited = shared.get(&key).is_none_or(|(tags, mode)| match mode {
                    SharedMode::All => tags.contains(&i),
                    SharedMode::First => tags.first() == Some(&i),
                    SharedMode::None => false,
                });
                let word = word_part(alias);
                let pattern = if CaseRule::of(word) == CaseRule::Exact {
                    acronyms.slot(fold_text(word))
                } else {
                    words.slot(key)
                };
                pattern.open_start |= alias.trim().starts_with('*');
                pattern.open_end |= alias.trim().ends_with('*');
                if credited {
                    let ambiguous = def.ambiguous.iter().any(|a| a == alias);
                    push_target(pattern, i, alias, 1.0, contexts.get(alias.as_str()));
                    if let Some(t) = pattern.targets.iter_mut().find(|t| t.tag == i) {
                        t.ambiguous |= ambiguous;
                        t.langs = langs;
                    }
                }
            }
        }
        for compound in &rules.compounds {
            let key = fold_key(&compound.text);
            if key.is_empty() {
                continue;
            }
            let pattern = words.slot(key);
            for (ids, weight) in [
                (&compound.tags, 1.0),
                (&compound.members, ABBREVIATION_WEIGHT),
            ] {
                for id in ids {
                    if let Some(&tag) = index.get(id) {
                        push_target(pattern, tag, &compound.text, weight, None);
                    }
                }
            }
        }
        Matcher {
            words: PatternSet::build(&words.keys, words.patterns, true),
            acronyms: PatternSet::build(&acronyms.keys, acronyms.patterns, false),
            near_window: rules.near_window,
            organization_weight: rules.organization_weight,
            organization_suffixes: rules
                .organization_suffixes
                .iter()
                .map(|s| fold_text(s).to_ascii_lowercase())
                .collect(),
            organization_prefixes: rules
                .organization_prefixes
                .iter()
                .map(|s| fold_text(s).to_ascii_lowercase())
                .collect(),
            word_endings: rules
                .word_endings
                .iter()
                .map(|(lang, endings)| (lang.clone(), endings.clone()))
                .collect(),
            abbreviations,
            abbreviation_affixes: rules
                .abbreviation_affixes
                .iter()
                .flat_map(|a| fold_text(a).chars().collect::<Vec<_>>())
                .collect(),
            abbreviation_runs: rules.abbreviation_runs.clone(),
        }
    }

    /// Heap bytes held by the automaton.
    pub(crate) fn memory_usage(&self) -> usize {
        self.words.memory_usage() + self.acronyms.memory_usage()
    }

    /// Every accepted hit in `text` (folded with [`fold_text`]), for a
    /// story in language `lang`.
    pub(crate) fn scan(&self, text: &Haystack<'_>, lang: &str, mut on_hit: impl FnMut(Hit)) {
        let mut covered = Vec::new();
        self.scan_set(&self.words, text, lang, &mut covered, &mut on_hit);
        self.scan_abbreviations(text.folded, lang, &covered, &mut on_hit);
        // Every acronym has an ASCII capital (`CaseRule::Exact`), so text
        // without one (most Chinese, Japanese and Korean copy) holds none.
        if !text.has_ascii_upper() {
            return;
        }
        // An acronym inside a word match (`AI` in `generative AI`) is
        // already counted.
        let words = std::mem::take(&mut covered);
        let mut acronym_hits = Vec::new();
        self.scan_set(&self.acronyms, text, lang, &mut covered, &mut |hit| {
            acronym_hits.push(hit)
        });
        let mut hits = acronym_hits.into_iter();
        for (span, hit_count) in covered {
            let inside = {
                let i = words.partition_point(|&((s, _), _)| s < span.1);
                i > 0 && words[i - 1].0.1 > span.0
            };
            for hit in hits.by_ref().take(hit_count) {
                if !inside {
                    on_hit(hit);
                }
            }
        }
    }

    /// One leftmost-longest pass of one pattern set; `covered` gets each
    /// word-bounded match span with the number of hits it produced.
    fn scan_set(
        &self,
        set: &PatternSet,
        text: &Haystack<'_>,
        lang: &str,
        covered: &mut Vec<((usize, usize), usize)>,
        on_hit: &mut dyn FnMut(Hit),
    ) {
        let Some(automaton) = &set.automaton else {
            return;
        };
        let folded = text.folded;
        // ASCII lower-casing keeps every byte offset, so a match in the
        // lowered text is the same span of `folded`.
        let haystack = if set.case_insensitive {
            &*text.lowered
        } else {
            folded
        };
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        let endings = self
            .word_endings
            .get(primary)
            .map_or(&[][..], |e| e.as_slice());
        let mut pos = 0;
        'restart: while pos < haystack.len() {
            // Leftmost-longest matches from `pos` on; after a rejected
            // match the search starts again one character further.
            for m in automaton.leftmost_find_iter(&haystack[pos..]) {
                let (start, end) = (pos + m.start(), pos + m.end());
                let pattern = &set.patterns[m.value() as usize];
                if !on_boundaries(folded, start, end, pattern, endings) {
                    // Not a word here; a shorter alias may still start inside.
                    pos = next_char(folded, start);
                    continue 'restart;
                }
                let found = &folded[start..end];
                let mut organization = None;
                let mut produced = 0;
                for target in &pattern.targets {
                    if !target.case.accepts(found, &target.folded) {
                        continue;
                    }
                    if !target.langs.is_empty() && !target.langs.iter().any(|l| l == primary) {
                        continue;
                    }
                    if let Some(ctx) = &target.context
                        && !self.context_allows(ctx, folded, start, end, lang)
                    {
                        continue;
                    }
                    if target.ambiguous && before_capitalized_word(folded, end) {
                        continue;
                    }
                    // Capitalized mid-sentence, a common word is a name; at
                    // the start of a sentence it needs support.
                    let needs_support = target.ambiguous && at_sentence_start(folded, start);
                    let in_org = *organization
                        .get_or_insert_with(|| self.inside_organization(folded, start, end));
                    let weight = if in_org {
                        target.weight * self.organization_weight
                    } else {
                        target.weight
                    };
                    on_hit(Hit {
                        tag: target.tag,
                        alias: target.alias.clone(),
                        weight,
                        organization: in_org,
                        needs_support,
                    });
                    produced += 1;
                }
                covered.push(((start, end), produced));
            }
            break;
        }
    }

    /// Abbreviations outside compounds: one before an affix (`韩资`, `日企`,
    /// `台系`) at the start of a run of Han characters, and, in languages
    /// of `abbreviation_runs`, a run of abbreviations standing alone
    /// (`米英独、`, `美 반도체`, `闽粤两省`). Each member counts at
    /// abbreviation weight. Characters a word match covers are not credited
    /// again.
    fn scan_abbreviations(
        &self,
        folded: &str,
        lang: &str,
        covered: &[((usize, usize), usize)],
        on_hit: &mut dyn FnMut(Hit),
    ) {
        // Every abbreviation is a CJK character: ASCII text holds none.
        if self.abbreviations.is_empty() || folded.is_ascii() {
            return;
        }
        let primary = lang.split(['-', '_']).next().unwrap_or(lang);
        let runs = self.abbreviation_runs.iter().any(|l| l == primary);
        if !runs && self.abbreviation_affixes.is_empty() {
            return;
        }
        let is_covered = |at: usize| {
            let i = covered.partition_point(|&((s, _), _)| s <= at);
            i > 0 && covered[i - 1].0.1 > at
        };
        // Runs are read across compounds (`美` + `中日`), but a character a
        // word match already credited is not credited again.
        let is_abbreviation = |c: char| self.abbreviations.contains_key(&c);
        let chars: Vec<(usize, char)> = folded.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !is_abbreviation(chars[i].1) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && is_abbreviation(chars[j].1) {
                j += 1;
            }
            let starts_word = i == 0 || !is_han(chars[i - 1].1);
            let next = chars.get(j).map(|&(_, c)| c);
            let affixed = next.is_some_and(|n| self.abbreviation_affixes.contains(&n));
            let credited =
                starts_word && (affixed || (runs && run_stands_alone(primary, j - i, next)));
            if credited {
                let end = chars.get(j).map_or(folded.len(), |&(at, _)| at);
                let alias: Arc<str> = Arc::from(&folded[chars[i].0..end]);
                for &(at, c) in &chars[i..j] {
                    if is_covered(at) {
                        continue;
                    }
                    on_hit(Hit {
                        tag: self.abbreviations[&c],
                        alias: alias.clone(),
                        weight: ABBREVIATION_WEIGHT,
                        organization: false,
                        needs_support: false,
                    });
                }
            }
            i = j;
        }
    }

    /// The first tag an alias of `text` names (dateline places like
    /// `HANGZHOU, China`).
    pub(crate) fn first_tag(&self, text: &str) -> Option<usize> {
        let folded = fold_text(text);
        let mut first = None;
        self.scan(&Haystack::new(&folded), "", |hit| {
            if first.is_none() && !hit.organization {
                first = Some(hit.tag);
            }
        });
        first
    }

    fn context_allows(
        &self,
        ctx: &Context,
        folded: &str,
        start: usize,
        end: usize,
        lang: &str,
    ) -> bool {
        if !ctx.langs.is_empty() {
            let primary = lang.split(['-', '_']).next().unwrap_or(lang);
            if !ctx.langs.iter().any(|l| l == primary) {
                return false;
            }
        }
        let from = floor_char(folded, start.saturating_sub(self.near_window));
        let to = ceil_char(folded, (end + self.near_window).min(folded.len()));
        let window = folded[from..to].to_ascii_lowercase();
        if ctx.reject_near.iter().any(|w| window.contains(w.as_str())) {
            return false;
        }
        ctx.require_near.is_empty() || ctx.require_near.iter().any(|w| window.contains(w.as_str()))
    }

    /// True when the alias at `start..end` is part of an organization name:
    /// `北京大学`, `浙江省医药健康产业集团`, `Bank of China`, `Tokyo University`.
    fn inside_organization(&self, folded: &str, start: usize, end: usize) -> bool {
        let before = &folded.as_bytes()[..start];
        if self.organization_prefixes.iter().any(|p| {
            before.len() >= p.len()
                && before[before.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
        }) {
            return true;
        }
        // The name runs on until punctuation or space (at most 14 characters).
        let after = folded[end..].trim_start_matches([')', '）']);
        let mut run_end = after.len();
        for (n, (i, c)) in after.char_indices().enumerate() {
            if n == 14 || !c.is_alphanumeric() {
                run_end = i;
                break;
            }
        }
        let run = &after[..run_end];
        let after_bytes = &folded.as_bytes()[end..];
        self.organization_suffixes.iter().any(|s| {
            if s.starts_with(' ') {
                after_bytes.len() >= s.len()
                    && after_bytes[..s.len()].eq_ignore_ascii_case(s.as_bytes())
            } else {
                !run.is_empty() && run.contains(s.as_str())
            }
        })
    }
}

fn push_target(
    pattern: &mut Pattern,
    tag: usize,
    alias: &str,
    weight: f32,
    ctx: Option<&Arc<Context>>,
) {
    if pattern
        .targets
        .iter()
        .any(|t| t.tag == tag && t.weight >= weight)
    {
        return;
    }
    let word = word_part(alias);
    let folded = fold_text(word);
    pattern.targets.push(Target {
        tag,
        alias: Arc::from(alias),
        weight,
        case: CaseRule::of(word),
        folded: Arc::from(folded.as_str()),
        context: ctx.cloned(),
        ambiguous: false,
        langs: Arc::from([]),
    });
}

/// The languages an alias (by its key) is bound to: the `bound` languages
/// that list it, when no other language of the tag does; empty (every
/// language) otherwise. Chinese tags (`zh-Hans`, `zh-Hant`) bind to `zh`.
fn bound_languages(def: &TagDef, key: &str, bound: &[String]) -> Arc<[String]> {
    let listing: Vec<&str> = def
        .names
        .iter()
        .filter(|(_, aliases)| aliases.iter().any(|a| fold_key(a) == key))
        .map(|(lang, _)| lang.as_str())
        .collect();
    if listing.is_empty() || !listing.iter().all(|l| bound.iter().any(|b| b == l)) {
        return Arc::from([]);
    }
    listing.iter().map(|l| l.to_string()).collect()
}

/// Whether a run of `len` abbreviations followed by `next` stands alone as
/// a list of places in a story of language `lang`: Korean writes them
/// between Hangul or spaces (`美中日 3국`); Japanese headlines put two or
/// more before anything but a hiragana particle (`米英独、`, `日米首脳`) or
/// one before katakana (`米バイオ企業`); Chinese lists two or more before a
/// count or a collective word (`闽粤两省`, `晋冀鲁豫四省`).
fn run_stands_alone(lang: &str, len: usize, next: Option<char>) -> bool {
    let after_han = next.is_some_and(is_han);
    match lang {
        "ko" => !after_han,
        "ja" => {
            let hiragana = next.is_some_and(|c| ('\u{3041}'..='\u{309F}').contains(&c));
            if len >= 2 {
                !hiragana
            } else {
                next.is_some_and(is_katakana)
            }
        }
        "zh" => {
            len >= 2 && (!after_han || next.is_some_and(|c| "两三四五六七八九等地省市".contains(c)))
        }
        _ => false,
    }
}

/// True when the word at `start` opens its text or a sentence (only spaces,
/// quotes or brackets after a full stop, colon, dash or line break), where
/// every word is capitalized.
fn at_sentence_start(text: &str, start: usize) -> bool {
    let before =
        text[..start].trim_end_matches(|c: char| c.is_whitespace() || "\"'“‘«„(（「『".contains(c));
    before
        .chars()
        .next_back()
        .is_none_or(|c| ".!?:;—–-|。！？：".contains(c) || c == '\n')
}

/// True when the word after `end` (past one space) starts with a capital:
/// `Victoria Beckham`, `Lincoln Navigator`.
fn before_capitalized_word(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    rest.next() == Some(' ') && rest.next().is_some_and(char::is_uppercase)
}

/// Folds text for matching: Traditional characters to Simplified, leaked
/// pinyin readings (`醫(yī)院`) dropped so they cannot split a word. Case is
/// kept (acronym rules need it). Aliases and stories go through the same
/// function, so they always agree.
///
/// Folding is per character ([`fold_chars`]), which is all matching needs.
/// Taiwan vocabulary (`晶片`, `人工智慧`) is listed as aliases in the
/// taxonomy.
pub(crate) fn fold_text(text: &str) -> String {
    if !text.chars().any(is_han) {
        return text.to_string();
    }
    fold_chars(&drop_pinyin_leaks(text))
}

/// Removes `(syllable)` right after a Han character when the syllable is
/// one to six lower-case Latin letters (tone marks allowed). Upper-case
/// (`(ESG)`), digits, spaces and CJK inside the brackets keep them.
fn drop_pinyin_leaks(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('(') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut prev_han = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '('
            && prev_han
            && let Some(close) = rest[1..].find(')')
        {
            let inner = &rest[1..1 + close];
            let letters = inner.chars().count();
            let pinyin = (1..=6).contains(&letters)
                && inner.chars().all(|c| {
                    c.is_ascii_lowercase()
                        || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_lowercase())
                        || ('\u{300}'..='\u{36F}').contains(&c)
                });
            if pinyin {
                rest = &rest[close + 2..];
                continue;
            }
        }
        out.push(c);
        prev_han = is_han(c);
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// A letter or digit of an alphabetic script (Latin, Greek, Cyrillic ...),
/// where words are delimited by spaces.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && (c as u32) < 0x2E80 && !is_hangul(c)
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Word-boundary rules by script: Latin aliases stand as whole words (a
/// plural `s` or one of the language's `endings` may follow; a pattern
/// marked open may sit inside a longer word on that side); Korean aliases
/// start a word (particles may follow); katakana aliases are not part of a
/// longer katakana word.
fn on_boundaries(
    text: &str,
    start: usize,
    end: usize,
    pattern: &Pattern,
    endings: &[String],
) -> bool {
    let found = &text[start..end];
    let (Some(first), Some(last)) = (found.chars().next(), found.chars().next_back()) else {
        return false;
    };
    let prev = text[..start].chars().next_back();
    let next = text[end..].chars().next();
    if is_word_char(first) && prev.is_some_and(is_word_char) && !pattern.open_start {
        return false;
    }
    if is_word_char(last)
        && let Some(n) = next
        && is_word_char(n)
        && !pattern.open_end
    {
        let rest = &text[end..];
        let ends_word = |len: usize| !rest[len..].chars().next().is_some_and(is_word_char);
        let plural = n == 's' && ends_word(1);
        let ending = endings
            .iter()
            .any(|e| rest.starts_with(e.as_str()) && ends_word(e.len()));
        if !plural && !ending {
            return false;
        }
    }
    if is_hangul(first) && prev.is_some_and(is_hangul) {
        return false;
    }
    if is_katakana(first) && prev.is_some_and(is_katakana) {
        return false;
    }
    if is_katakana(last) && next.is_some_and(is_katakana) {
        return false;
    }
    true
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len(), |c| at + c.len_utf8())
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
