#!/usr/bin/env python3
"""Screenshots of the web UI for the README, from a real daemon run.

    cargo build --bin polywire
    python3 scripts/screenshot.py            # writes docs/img/index.png
    python3 scripts/screenshot.py --all      # also sources.png, feed.png, index-375.png
    python3 scripts/screenshot.py --dark     # in the dark colour scheme

Serves four small wires on 127.0.0.1 (RSS feeds and their story pages in
Simplified and Traditional Chinese, Japanese and English, dated minutes to
hours ago, and one wire that answers HTTP 500), starts `polywire run` on a
temporary store with the shipped taxonomy and feeds, waits until every wire
has run, then takes headless Chromium screenshots. Only stdlib; no traffic
leaves 127.0.0.1. Needs `chromium` (Debian package) or CHROMIUM=/path.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# wire id -> (name, language, time zone, stories); each story is
# (minutes ago, headline, paragraphs).
WIRES = {
    "eastchina": ("East China Wire", "zh", "Asia/Shanghai", [
        (25, "长三角生物医药产业集群加速发展", [
            "上海、江苏、浙江、安徽四地生物医药企业在沪签署合作协议，共建创新药研发平台。",
            "业内人士表示，长三角医药产业规模已占全国三成以上，抗体药物和细胞治疗是合作重点。",
        ]),
        (140, "上海人工智能大会开幕 大模型与机器人应用集中亮相", [
            "世界人工智能大会在上海开幕，数百家企业展示大模型、智能机器人和自动驾驶应用。",
            "上海市经济和信息化委员会表示，本市人工智能产业规模持续扩大。",
        ]),
        (400, "杭州新能源汽车电池工厂投产", [
            "浙江杭州一家动力电池工厂正式投产，年产能可供五十万辆新能源汽车使用。",
        ]),
    ]),
    "formosa": ("Formosa Wire", "zh", "Asia/Taipei", [
        (55, "長三角生物醫藥產業集群加速發展", [
            "上海、江蘇、浙江、安徽四地生物醫藥企業簽署合作協議，共建創新藥研發平台。",
            "業內人士表示，長三角醫藥產業規模已占全國三成以上。",
        ]),
        (180, "台積電擴大先進封裝產能 半導體供應鏈受惠", [
            "台積電宣布在台灣中部擴建先進封裝廠，以因應人工智慧晶片需求。",
            "分析師指出，半導體設備與材料供應商可望受惠。",
        ]),
    ]),
    "tokyo": ("Tokyo Business Wire", "ja", "Asia/Tokyo", [
        (90, "東京の半導体装置メーカー、設備投資を拡大", [
            "東京エレクトロンなど半導体製造装置各社が設備投資を積み増す。",
            "人工知能向け半導体の需要拡大が背景にある。",
        ]),
        (600, "日本の電池メーカー、全固体電池の量産へ", [
            "国内電池大手が全固体電池の量産計画を発表した。電気自動車向けに供給する。",
        ]),
    ]),
    "asiamarkets": ("Asia Markets Wire", "en", "Asia/Hong_Kong", [
        (12, "Shenzhen robotics makers expand AI chip partnerships", [
            "SHENZHEN -- Robotics companies in Shenzhen are signing new supply deals with domestic AI chip designers.",
            "Analysts expect humanoid robot shipments to double next year.",
        ]),
        (260, "Hong Kong FinTech Week draws record attendance", [
            "HONG KONG -- The city's fintech week drew a record number of visitors as banks showed digital payment services.",
        ]),
        (1500, "Beijing issues green finance and ESG disclosure rules", [
            "BEIJING -- Listed companies in Beijing must disclose environmental, social and governance data from next year, "
            "the city's financial regulator said.",
        ]),
    ]),
    "broken": ("Harbour Wire", "en", "Asia/Hong_Kong", []),
}
BROKEN = {"broken"}
STARTED = time.time()


class Wire(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if self.path == "/robots.txt" or len(parts) != 2 or parts[0] not in WIRES:
            return self.send(404, "not found", "text/plain")
        wire, file = parts
        if wire in BROKEN:
            return self.send(500, "internal error", "text/plain")
        name, lang, _, stories = WIRES[wire]
        base = f"http://{self.headers['Host']}/{wire}"
        if file == "rss.xml":
            items = "".join(
                f"<item><title>{escape(title)}</title><link>{base}/{k}.html</link>"
                f"<guid>{base}/{k}.html</guid><pubDate>{formatdate(STARTED - minutes * 60)}</pubDate>"
                f"<description>{escape(body[0])}</description></item>"
                for k, (minutes, title, body) in enumerate(stories)
            )
            doc = (
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{escape(name)}</title><link>{base}/</link><description>{escape(name)}</description>"
                f"<language>{lang}</language>{items}</channel></rss>"
            )
            return self.send(200, doc, "application/rss+xml; charset=utf-8")
        k = file.removesuffix(".html")
        if k.isdigit() and int(k) < len(stories):
            minutes, title, body = stories[int(k)]
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
            page = (
                f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f'<meta property="article:published_time" content="'
                f'{time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(STARTED - minutes * 60))}">'
                f"</head><body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
            )
            return self.send(200, page, "text/html; charset=utf-8")
        return self.send(404, "not found", "text/plain")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def health(api):
    try:
        with urllib.request.urlopen(api + "/healthz", timeout=5) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:  # 503 still carries the report
        return json.load(err)
    except OSError:
        return None


def screenshot(chromium, url, out, width, height, profile, dark=False):
    subprocess.run(
        [
            chromium, "--headless", *(["--force-dark-mode"] if dark else []), "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={out}", url,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    print(f"wrote {os.path.relpath(out, ROOT)} ({width}x{height})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "debug", "polywire"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "img"))
    parser.add_argument("--all", action="store_true", help="also the sources page, a preview and a phone-width index")
    parser.add_argument("--dark", action="store_true", help="in the dark colour scheme")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium not found (apt-get install chromium, or set CHROMIUM)")
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: cargo build --bin polywire")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Wire)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    wires = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = tempfile.mkdtemp(prefix="polywire-screenshot-")
    daemon = None
    try:
        os.makedirs(os.path.join(tmp, "sources"))
        port = free_port()
        api = f"http://127.0.0.1:{port}"
        with open(os.path.join(tmp, "polywire.toml"), "w") as f:
            f.write(
                f'[server]\nlisten = "127.0.0.1:{port}"\nbase_url = "https://news.example.org"\n'
                f'[store]\npath = "{tmp}/store.db"\n'
                "[fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nretries = 0\n"
                f'[paths]\nsources = "sources"\ntaxonomy = "{ROOT}/config/taxonomy"\nfeeds = "{ROOT}/feeds"\n'
            )
        for wire, (name, lang, zone, _) in WIRES.items():
            with open(os.path.join(tmp, "sources", f"{wire}.toml"), "w") as f:
                f.write(
                    f'id = "{wire}"\nname = "{name}"\nlanguage = "{lang}"\ntimezone = "{zone}"\n'
                    f'schedule = "0 */30 * * * *"\n[index]\nkind = "rss"\nurl = "{wires}/{wire}/rss.xml"\n'
                )
        log = open(os.path.join(tmp, "daemon.log"), "w")
        # One fetch of every wire, then the daemon serves what it stored
        # (its schedule would only run the wires on the half hour).
        subprocess.run(
            [args.binary, "fetch", "--config", os.path.join(tmp, "polywire.toml")], stdout=log, stderr=log, timeout=300
        )
        daemon = subprocess.Popen(
            [args.binary, "run", "--config", os.path.join(tmp, "polywire.toml")], stdout=log, stderr=log
        )
        deadline = time.time() + 120
        while True:
            report = health(api)
            ran = [s for s in (report or {}).get("sources", []) if s.get("last_run")]
            if report and len(ran) == len(WIRES):
                break
            if daemon.poll() is not None or time.time() > deadline:
                log.flush()
                sys.exit("the daemon did not run every wire; log:\n" + open(log.name).read()[-4000:])
            time.sleep(0.5)
        print(f"{report['stories']} stories stored from {len(WIRES)} wires")
        os.makedirs(args.out, exist_ok=True)
        profile = os.path.join(tmp, "chromium")
        screenshot(chromium, api + "/", os.path.join(args.out, "index.png"), 1280, 1400, profile, args.dark)
        if args.all:
            screenshot(chromium, api + "/sources", os.path.join(args.out, "sources.png"), 1280, 720, profile, args.dark)
            screenshot(chromium, api + "/feeds/yrd-biomedicine.html", os.path.join(args.out, "feed.png"), 1280, 1100, profile, args.dark)
            screenshot(chromium, api + "/", os.path.join(args.out, "index-375.png"), 375, 1400, profile, args.dark)
    finally:
        if daemon is not None:
            daemon.terminate()
            daemon.wait(timeout=30)
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
