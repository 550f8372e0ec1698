//! Following redirects by hand: every hop is resolved, limited to http(s),
//! counted and checked for loops here, then goes through robots, pacing and
//! the address guard like the first request.

use super::error::FetchError;

/// The chain of URLs visited for one fetch.
#[derive(Debug)]
pub struct Hops {
    visited: Vec<url::Url>,
    limit: usize,
}

impl Hops {
    /// Starts a chain at `first`, allowing `limit` redirects.
    pub fn new(first: url::Url, limit: usize) -> Hops {
        Hops {
            visited: vec![first],
            limit,
        }
    }

    /// The URL to request now.
    pub fn current(&self) -> &url::Url {
        self.visited.last().expect("a chain starts with one URL")
    }

    /// Takes the redirect to `location` (relative to the current URL).
    pub fn follow(&mut self, location: &str) -> Result<&url::Url, FetchError> {
        let from = self.current();
        let bad = || FetchError::BadRedirect {
            url: from.to_string(),
            location: location.to_string(),
        };
        let mut next = from.join(location.trim()).map_err(|_| bad())?;
        if !matches!(next.scheme(), "http" | "https") {
            return Err(bad());
        }
        next.set_fragment(None);
        if self.visited.contains(&next) {
            return Err(FetchError::RedirectLoop {
                url: next.to_string(),
            });
        }
        if self.visited.len() > self.limit {
            return Err(FetchError::TooManyRedirects {
                url: self.visited[0].to_string(),
                limit: self.limit,
            });
        }
        self.visited.push(next);
        Ok(self.current())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hops(limit: usize) -> Hops {
        Hops::new(url::Url::parse("http://a.example/feed").unwrap(), limit)
    }

    #[test]
    fn relative_locations_resolve_and_loops_are_caught() {
        let mut chain = hops(5);
        assert_eq!(
            chain.follow("/rss.xml").unwrap().as_str(),
            "http://a.example/rss.xml"
        );
        assert_eq!(
            chain.follow("https://b.example/x#top").unwrap().as_str(),
            "https://b.example/x"
        );
        let err = chain.follow("http://a.example/feed").unwrap_err();
        assert_eq!(err.reason(), "redirect_loop");
    }

    #[test]
    fn limit_and_schemes_are_enforced() {
        let mut chain = hops(2);
        chain.follow("/1").unwrap();
        chain.follow("/2").unwrap();
        assert_eq!(
            chain.follow("/3").unwrap_err().reason(),
            "too_many_redirects"
        );
        let mut chain = hops(5);
        assert_eq!(
            chain.follow("file:///etc/passwd").unwrap_err().reason(),
            "bad_redirect"
        );
        assert_eq!(
            chain.follow("gopher://x/").unwrap_err().reason(),
            "bad_redirect"
        );
    }
}
