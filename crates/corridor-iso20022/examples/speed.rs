use std::time::Instant;
#[path = "../tests/common/mod.rs"]
mod common;
fn main() {
    let xml = common::envelope(&[(common::APP_HDR, common::FULL_PACS008)]);
    println!("bytes {}", xml.len());
    let n: usize = std::env::args()
        .nth(1)
        .map_or(100_000, |a| a.parse().unwrap());
    let t = Instant::now();
    let mut c = 0;
    for _ in 0..n {
        let m = corridor_iso20022::parse(&xml).unwrap();
        c += m.len();
    }
    let e = t.elapsed().as_secs_f64();
    println!("parse {:.0}/s", n as f64 / e);
    let m = corridor_iso20022::parse(&xml).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        m[0].validate().unwrap();
    }
    println!("validate {:.0}/s", n as f64 / t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut events = 0u64;
    for _ in 0..n {
        let mut r = quick_xml::Reader::from_str(&xml);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => events += 1,
                Err(_) => break,
            }
        }
    }
    let e = t.elapsed().as_secs_f64();
    println!("tokenize {:.0}/s {} {}", n as f64 / e, events, c);
}
