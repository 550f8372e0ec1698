//! A gzip bomb: 1 GiB of zeros in about a megabyte of gzip. The fetcher must
//! stop at its body cap with bounded memory. A counting allocator measures
//! the peak heap of this test binary (it holds this one test only).

mod fetch_support;

use fetch_support::{Reply, TestServer};
use flate2::{Compress, Compression, Crc, FlushCompress};
use polywire::config::FetchConfig;
use polywire::fetch::{FetchError, FetchRequest, Fetcher};

#[global_allocator]
static ALLOCATOR: fetch_support::heap::Counting = fetch_support::heap::Counting;

const GIB: usize = 1 << 30;

/// gzip of `size` zeros (a multiple of 1 MiB), built from one full-flushed
/// 1 MiB deflate block repeated (a full flush resets the compressor, so
/// every block of zeros compresses to the same bytes), with a correct CRC
/// and length.
fn gzip_bomb(size: usize) -> Vec<u8> {
    let block = vec![0u8; 1 << 20];
    let mut deflate = Compress::new(Compression::best(), false);
    let mut compressed_block = Vec::with_capacity(4096);
    deflate
        .compress_vec(&block, &mut compressed_block, FlushCompress::Full)
        .unwrap();
    assert_eq!(deflate.total_in(), block.len() as u64, "block not consumed");
    let mut tail = Vec::with_capacity(64);
    deflate
        .compress_vec(&[], &mut tail, FlushCompress::Finish)
        .unwrap();

    let mut block_crc = Crc::new();
    block_crc.update(&block);
    let mut total = Crc::new();
    for _ in 0..size / block.len() {
        total.combine(&block_crc);
    }
    let mut bomb = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    for _ in 0..size / block.len() {
        bomb.extend_from_slice(&compressed_block);
    }
    bomb.extend_from_slice(&tail);
    bomb.extend_from_slice(&total.sum().to_le_bytes());
    bomb.extend_from_slice(&(size as u32).to_le_bytes()); // ISIZE is mod 2^32
    bomb
}

/// Decodes a bomb with flate2 to prove the generator makes a valid gzip
/// stream (CRC and length checked) of exactly `size` zeros.
fn assert_valid_bomb(bomb: &[u8], size: usize) {
    use std::io::Read;
    let mut decoder = flate2::read::GzDecoder::new(bomb);
    let mut buf = vec![1u8; 1 << 20];
    let mut seen = 0usize;
    loop {
        let n = decoder.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        assert!(buf[..n].iter().all(|&b| b == 0));
        seen += n;
    }
    assert_eq!(seen, size);
}

// One test in this binary, so no other test's allocations reach the counter.
#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap_with_bounded_memory() {
    // The construction, checked end to end on 32 MiB (a full GiB takes
    // half a minute to inflate in a debug build).
    assert_valid_bomb(&gzip_bomb(32 << 20), 32 << 20);
    let bomb = gzip_bomb(GIB);
    assert!(bomb.len() < 2 << 20, "{} bytes compressed", bomb.len());
    let server_len = bomb.len();
    let server = TestServer::start().await;
    server.route(
        "/bomb.xml",
        vec![
            Reply::ok(bomb)
                .header("Content-Encoding", "gzip")
                .header("Content-Type", "application/rss+xml"),
        ],
    );
    let config = FetchConfig {
        per_host_delay_ms: 0,
        max_body_bytes: 5 * 1024 * 1024,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(&config).unwrap();
    let req = FetchRequest {
        url: server.url("/bomb.xml"),
        allow_private: true,
        ..FetchRequest::default()
    };
    let mark = fetch_support::heap::mark();
    let err = fetcher.fetch(&req).await.unwrap_err();
    let peak = fetch_support::heap::peak_since(mark);
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
    // The cap (5 MiB) plus decoder and socket buffers; 1 GiB was on offer.
    eprintln!(
        "bomb: {} KiB compressed, peak heap +{} KiB",
        server_len >> 10,
        peak >> 10
    );
    assert!(peak < 16 << 20, "peak heap grew by {} MiB", peak >> 20);
    assert_eq!(server.hits("/bomb.xml"), 1, "too_large is not retried");
}
