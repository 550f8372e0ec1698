//! RSSHub's common parameters applied to a list of stories, in RSSHub's
//! order: `sorted`, `filter*`, `filterout*`, `filter_time`, then `limit`
//! (the caller truncates). Script conversion (`opencc`) happens later,
//! when items are written, so filters see the original text as in RSSHub.

use super::params::Filters;
use crate::classify::Taxonomy;
use crate::model::{StoredStory, TagKind};
use jiff::Timestamp;
use regex::Regex;

/// The text RSSHub's filters look at, for one story.
struct Fields {
    title: String,
    description: String,
    author: String,
    categories: Vec<String>,
}

fn fields(story: &StoredStory, taxonomy: &Taxonomy) -> Fields {
    let a = &story.article;
    let mut description = a.summary.clone();
    for p in &a.body {
        description.push('\n');
        description.push_str(p);
    }
    if description.trim().is_empty() {
        // RSSHub: `description = item.description || title`.
        description = a.title.clone();
    }
    let mut categories = a.categories.clone();
    let lang = match a.script {
        Some(script) => format!("{}-{}", a.lang, script.as_str()),
        None => a.lang.clone(),
    };
    let tags = (story.regions.iter().map(|t| (TagKind::Region, t)))
        .chain(story.industries.iter().map(|t| (TagKind::Industry, t)));
    for (kind, tag) in tags {
        categories.push(tag.id.clone());
        for lang in [lang.as_str(), "en"] {
            categories.push(
                taxonomy
                    .label_of(kind, &tag.id, lang)
                    .unwrap_or_else(|| tag.id.clone()),
            );
        }
    }
    Fields {
        title: a.title.clone(),
        description,
        author: a.authors.join(" "),
        categories,
    }
}

fn any(re: &Regex, list: &[String]) -> bool {
    list.iter().any(|c| re.is_match(c))
}

/// Sorts and filters `stories` as RSSHub would; `now` anchors `filter_time`.
pub fn apply(
    mut stories: Vec<StoredStory>,
    filters: &Filters,
    taxonomy: &Taxonomy,
    now: Timestamp,
) -> Vec<StoredStory> {
    if filters.unsorted {
        // No wire order survives aggregation; the nearest thing is the
        // order polywire met the stories in.
        stories.sort_by(|a, b| b.first_seen.cmp(&a.first_seen).then(b.id.cmp(&a.id)));
    }
    // Otherwise the store's order stands: newest publication time first,
    // an undated story at the time polywire first saw it (RSSHub puts
    // undated items last; here they would then fall out of every `limit`).
    if !filters.is_active() {
        return stories;
    }
    stories.retain(|story| {
        // A script filter narrows the Chinese stories only: `lang=zh-Hant&lang=ja`
        // keeps the Japanese ones.
        if !filters.scripts.is_empty()
            && story.article.lang == "zh"
            && !story
                .article
                .script
                .is_some_and(|s| filters.scripts.contains(&s))
        {
            return false;
        }
        let f = fields(story, taxonomy);
        if let Some(re) = &filters.filter {
            // `filter` wins over the per-field forms, as in RSSHub.
            if !(re.is_match(&f.title)
                || re.is_match(&f.description)
                || re.is_match(&f.author)
                || any(re, &f.categories))
            {
                return false;
            }
        } else {
            let checks = [
                (&filters.filter_title, &f.title),
                (&filters.filter_description, &f.description),
                (&filters.filter_author, &f.author),
            ];
            for (re, text) in checks {
                if let Some(re) = re
                    && !re.is_match(text)
                {
                    return false;
                }
            }
            if let Some(re) = &filters.filter_category
                && !any(re, &f.categories)
            {
                return false;
            }
        }
        let outs = [
            (&filters.out_title, &f.title),
            (&filters.out_description, &f.description),
            (&filters.out_author, &f.author),
        ];
        for (re, text) in outs {
            if let Some(re) = re
                && re.is_match(text)
            {
                return false;
            }
        }
        if let Some(re) = &filters.out_category
            && any(re, &f.categories)
        {
            return false;
        }
        if let (Some(max), Some(published)) = (filters.max_age_secs, story.article.published) {
            let age = now.as_second() - published.as_second();
            if age > i64::try_from(max).unwrap_or(i64::MAX) {
                return false;
            }
        }
        true
    });
    stories
}
