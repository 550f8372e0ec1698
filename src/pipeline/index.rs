//! Reading a source's index document into entries. A sitemap index is
//! followed one level down, within the run's story budget.

use super::{Pipeline, RunError};
use crate::config::{IndexKind, SourceConfig};
use crate::extract::{self, Sitemap};
use crate::fetch::{FetchRequest, FetchResponse};
use crate::model::{IndexEntry, RawDocument};

/// Child sitemaps of a sitemap index fetched per run at most.
const MAX_CHILD_SITEMAPS: usize = 5;

impl Pipeline {
    /// The entries of an index document. A sitemap index is followed one
    /// level down, newest children first, within the story budget.
    pub(super) async fn read_index(
        &self,
        source: &SourceConfig,
        doc: &RawDocument,
    ) -> Result<Vec<IndexEntry>, RunError> {
        let zone = source.timezone.get_ref();
        if let Some(format) = source.index.kind.iptc() {
            return self.read_agency_index(source, doc, format).await;
        }
        if source.index.kind != IndexKind::Sitemap {
            let links = source.index.links.as_ref().map(|l| l.get_ref().as_str());
            return extract::parse_index(doc, source.index.kind, links, zone)
                .map_err(|e| RunError::Extract(e.to_string()));
        }
        let children = match extract::parse_sitemap(doc, zone) {
            Ok(Sitemap::Urls(entries)) => return Ok(entries),
            Ok(Sitemap::Index(children)) => children,
            // A source declared as a sitemap that serves a feed still works.
            Err(_) => {
                return extract::parse_index(doc, IndexKind::Rss, None, zone)
                    .map_err(|e| RunError::Extract(e.to_string()));
            }
        };
        let mut entries = Vec::new();
        let budget = self.config.daemon.limits.max_stories_per_run;
        for child in children.into_iter().take(MAX_CHILD_SITEMAPS) {
            if entries.len() >= budget {
                break;
            }
            let Some(doc) = self.fetch_linked(source, &child).await else {
                continue;
            };
            match extract::parse_sitemap(&doc, zone) {
                Ok(Sitemap::Urls(found)) => entries.extend(found),
                Ok(Sitemap::Index(_)) => {
                    tracing::warn!(source = %source.id, url = %child, "Nested sitemap index skipped.")
                }
                Err(err) => {
                    tracing::warn!(source = %source.id, url = %child, error = %err, "Child sitemap unreadable.")
                }
            }
        }
        Ok(entries)
    }

    /// The stories of an agency-format index (NewsML-G2, ninjs, NITF): the
    /// document's own items, or for a feed, folder or package those of the
    /// documents it links to, last first, within the story budget.
    async fn read_agency_index(
        &self,
        source: &SourceConfig,
        doc: &RawDocument,
        format: extract::iptc::IptcFormat,
    ) -> Result<Vec<IndexEntry>, RunError> {
        let zone = source.timezone.get_ref().zone();
        let links = match extract::iptc::read(doc, format, zone) {
            Ok(extract::iptc::IptcDocument::Items(items)) => {
                return Ok(items.into_iter().map(|i| i.into_entry(&doc.url)).collect());
            }
            Ok(extract::iptc::IptcDocument::Links(links)) => links,
            Err(e) => return Err(RunError::Extract(e.to_string())),
        };
        let budget = self.config.daemon.limits.max_stories_per_run;
        let mut entries = Vec::new();
        for link in links.into_iter().rev().take(budget) {
            let Some(doc) = self.fetch_linked(source, &link).await else {
                continue;
            };
            match extract::iptc::read(&doc, format, zone) {
                Ok(extract::iptc::IptcDocument::Items(items)) => {
                    entries.extend(items.into_iter().map(|i| i.into_entry(&doc.url)))
                }
                Ok(extract::iptc::IptcDocument::Links(_)) => {
                    tracing::warn!(source = %source.id, url = %link, "Nested list of agency documents skipped.")
                }
                Err(err) => {
                    tracing::warn!(source = %source.id, url = %link, error = %err, "Agency document unreadable.")
                }
            }
        }
        Ok(entries)
    }

    /// A document an index links to (a child sitemap, an agency document),
    /// fetched under the source's robots and address rules. `None` when it
    /// is unchanged or could not be fetched; a failure is logged, and the
    /// index's other links are still read.
    async fn fetch_linked(&self, source: &SourceConfig, url: &str) -> Option<RawDocument> {
        let request = FetchRequest {
            url: url.to_string(),
            allow_private: source.allow_private_addresses,
            ignore_robots: source.ignore_robots,
            ..FetchRequest::default()
        };
        match self.fetch_counted(&source.id, &request).await {
            Ok(FetchResponse::Fetched { doc, .. }) => Some(doc),
            Ok(FetchResponse::NotModified) => None,
            Err(err) => {
                tracing::warn!(source = %source.id, %url, error = %err, "Linked document not fetched.");
                None
            }
        }
    }
}
