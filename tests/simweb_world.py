"""The simulated web in the world's languages: sites whose chrome (headlines, ads, comments, footer), title
separator and visible dates are in their own language, and story texts to fill them.

    site = world_site(web, "ja")                 # a SimWeb site speaking Japanese
    paras = story(LANGS["ja"], seed=3)           # six paragraphs of Japanese news prose from its vocabulary

Each language has a lead sentence with a word to edit (`old` -> `new`) and words to search for (`queries`,
absent from the vocabulary, so only the story with the lead matches), and the wall pages of
tests/pages_walls served in its place on a revisit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from tests.simweb import SimWeb, Site


@dataclass(frozen=True)
class Lang:
    code: str
    site: str  # the site's name, shown after the title separator
    renamed: str  # the site's name after a rebranding (no version may come of it)
    sep: str  # title separator
    spaceless: bool  # words written without spaces between them
    stop: str  # sentence end
    vocabulary: tuple[str, ...]
    lead: str  # a sentence of the edited story
    old: str  # a word of the lead, replaced by `new` in the edit
    new: str
    queries: tuple[str, ...]  # searches that find the lead's story, and no other
    wall: str  # a tests/pages_walls page in this language, served with status 200 on a revisit
    chrome: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # headlines, ads, comments
    date: object  # how the page shows the publication date


def _d(fmt: str) -> object:
    return lambda d: d.strftime(fmt)


_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_TH_MONTHS = ("มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน "
              "ธันวาคม").split()
_RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
_TR_MONTHS = "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık".split()
_AZ_MONTHS = "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr".split()
_AR_MONTHS = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
JST = timezone(timedelta(hours=9))

LANGS: dict[str, Lang] = {lang.code: lang for lang in [
    Lang("en", "The Harbour Times", "Harbour Times Online", " | ", False, ".",
         tuple("council budget river storm museum railway school hospital market energy police court election "
               "farmers bridge airport festival library university workers tourism water coast village minister "
               "mayor report study data plan project weather season visitors residents officials".split()),
         "The harbour council approved a new flood barrier after residents protested for weeks.",
         "harbour", "estuary", ("barrier", "flood barrier"), "en_challenge_cf_style_200",
         (("Markets rally as talks stall", "Explainer: how the vote works", "Live: storm season ends"),
          ("Refinance today", "The sofa sale ends Sunday"), ("Great reporting.", "Who pays for this?", "Stay safe.")),
         _d("%d %B %Y, %H:%M")),
    Lang("ja", "日本新聞", "日本新聞デジタル", "｜", True, "。",
         tuple("政府 発表 住民 警察 市長 会議 予算 学校 病院 鉄道 空港 選挙 企業 経済 地震 台風 観光 農家 漁業 大学 研究 "
               "計画 市場 価格 交通 事故 裁判 記者 調査 地域".split()),
         "鹿児島県で大雨が降り、住民約２０００人が避難した。", "鹿児島", "宮崎", ("避難", "鹿児島"), "ja_bot",
         (("円相場が急落", "首相が記者会見", "新幹線が運転再開"), ("今だけ送料無料", "人気の旅行プラン"),
          ("分かりやすい記事でした。", "心配です。", "続報を待ちます。")),
         lambda d: d.astimezone(JST).strftime("%Y年%m月%d日 %H時%M分")),
    Lang("zh", "新华日报", "新华日报网", "_", True, "。",
         tuple("政府 宣布 警方 市长 会议 预算 学校 医院 铁路 机场 选举 企业 经济 地震 台风 旅游 农民 渔业 大学 研究 计划 "
               "市场 价格 事故 法院 记者 调查 地区 发展 环境".split()),
         "北京市政府今天宣布启动新的公共交通措施，数千名居民参加了听证会。", "北京", "上海", ("居民", "交通措施"), "zh_paywall",
         (("股市大幅上涨", "专家解读新政策", "高铁恢复运行"), ("限时优惠", "热门旅游线路"), ("写得很好。", "支持！", "期待后续报道。")),
         _d("%Y年%m月%d日 %H:%M")),
    Lang("th", "ข่าวสยาม", "สยามนิวส์ออนไลน์", " | ", True, " ",
         tuple("รัฐบาล ประกาศ ประชาชน ตำรวจ นายกเทศมนตรี การประชุม งบประมาณ โรงเรียน โรงพยาบาล รถไฟ สนามบิน "
               "การเลือกตั้ง บริษัท เศรษฐกิจ แผ่นดินไหว พายุ การท่องเที่ยว เกษตรกร ประมง มหาวิทยาลัย การวิจัย แผนงาน "
               "ตลาด ราคา อุบัติเหตุ ศาล นักข่าว การสำรวจ ภูมิภาค ชุมชน".split()),
         "เขื่อนในจังหวัดเชียงใหม่เกิดรอยร้าวทำให้ชาวบ้านต้องอพยพ", "เชียงใหม่", "เชียงราย", ("เขื่อน", "อพยพ"), "th_bot",
         (("หุ้นไทยปิดบวก", "นายกฯแถลงข่าว", "ฝนตกหนักทั่วกรุง"), ("ลดราคาพิเศษ", "ทัวร์ญี่ปุ่นราคาถูก"),
          ("ข่าวดีมากครับ", "น่าเป็นห่วง", "ขอบคุณสำหรับข้อมูล")),
         lambda d: f"{d.day} {_TH_MONTHS[d.month - 1]} {d.year + 543} {d:%H:%M}"),
    Lang("ko", "한국일보", "한국일보 디지털", " | ", False, ".",
         tuple("정부 발표 주민 경찰 시장 회의 예산 학교 병원 철도 공항 선거 기업 경제 지진 태풍 관광 농민 어업 대학 연구 "
               "계획 가격 교통 사고 법원 기자 조사 지역 환경".split()),
         "기상청은 오늘 서울과 경기 지역에 호우 경보를 발령했다.", "서울과", "부산과", ("기상청", "호우 경보"), "ko_paywall",
         (("코스피 상승 마감", "대통령 기자회견", "KTX 운행 재개"), ("오늘만 특가", "인기 여행 상품"),
          ("좋은 기사 감사합니다.", "걱정되네요.", "후속 보도 기대합니다.")),
         lambda d: f"{d.year}년 {d.month}월 {d.day}일 {'오전' if d.hour < 12 else '오후'} {(d.hour - 1) % 12 + 1}:{d:%M}"),
    Lang("ar", "الخبر اليوم", "الخبر اليوم الرقمي", " | ", False, ".",
         tuple("الحكومة أعلنت السكان الشرطة المحافظ الاجتماع الميزانية المدرسة المستشفى القطار المطار الانتخابات "
               "الشركة الاقتصاد الزلزال العاصفة السياحة الصيد الجامعة البحث الخطة السوق الأسعار الحادث المحكمة "
               "الصحفي الدراسة المنطقة التنمية المياه".split()),
         "أعلنت الحكومة في القاهرة عن خطة جديدة لدعم المزارعين في المناطق الريفية.", "القاهرة", "الإسكندرية",
         ("المزارعين", "مزارعين"), "ar_consent",
         (("ارتفاع أسعار الذهب", "الرئيس يستقبل الوفد", "افتتاح معرض الكتاب"), ("عروض حصرية", "سافر الآن"),
          ("مقال رائع.", "نتمنى الخير.", "شكرا على التغطية.")),
         lambda d: f"{d.day} {_AR_MONTHS[d.month - 1]} {d.year}".translate(_AR_DIGITS)),
    Lang("ru", "Новости Дня", "Новости Дня Онлайн", " — ", False, ".",
         tuple("правительство объявило жители полиция мэр совещание бюджет школа больница железная дорога аэропорт "
               "выборы компания экономика землетрясение шторм туризм фермеры рыбаки университет исследование план "
               "рынок цены авария суд журналист опрос регион развитие".split()),
         "В Казани открылась новая станция метро, которую жители ждали ещё с прошлого года.", "Казани", "Самаре",
         ("станция метро", "еще"), "ru_bot",
         (("Рубль укрепился", "Президент провёл совещание", "Открылся новый мост"), ("Скидки до 50%", "Туры в Сочи"),
          ("Отличная статья.", "Наконец-то!", "Ждём продолжения.")),
         lambda d: f"{d.day} {_RU_MONTHS[d.month - 1]} {d.year}, {d:%H:%M}"),
    Lang("tr", "Günün Haberleri", "Günün Haberleri Dijital", " - ", False, ".",
         tuple("hükümet açıkladı sakinler polis belediye toplantı bütçe okul hastane demiryolu havalimanı seçim "
               "şirket ekonomi deprem fırtına turizm çiftçiler balıkçılar üniversite araştırma plan pazar fiyatlar "
               "kaza mahkeme gazeteci anket bölge kalkınma".split()),
         "İstanbul Büyükşehir Belediyesi yeni metro hattının açılış tarihini açıkladı.", "İstanbul", "İzmir",
         ("istanbul", "ISTANBUL"), "tr_paywall",
         (("Borsa güne yükselişle başladı", "Bakan açıklama yaptı", "Köprü trafiğe açıldı"), ("Büyük indirim", "Tatil fırsatı"),
          ("Harika bir haber.", "Çok üzücü.", "Devamını bekliyoruz.")),
         lambda d: f"{d.day} {_TR_MONTHS[d.month - 1]} {d.year} {d:%H:%M}"),
    Lang("az", "Bakı Xəbər", "Bakı Xəbər Onlayn", " | ", False, ".",
         tuple("hökumət açıqladı sakinlər polis bələdiyyə iclas büdcə məktəb xəstəxana dəmiryolu aeroport seçki "
               "şirkət iqtisadiyyat zəlzələ külək turizm fermerlər balıqçılar universitet tədqiqat plan bazar "
               "qiymətlər qəza məhkəmə jurnalist sorğu region inkişaf".split()),
         "Bakı şəhərində yeni metro stansiyası istifadəyə verildi və sakinlər bundan çox məmnundur.", "Bakı", "Gəncə",
         ("stansiyası", "metro stansiyası"), "az_error",
         (("Manatın məzənnəsi sabit qalıb", "Nazir açıqlama verib", "Yeni körpü açılıb"), ("Böyük endirim", "Səyahət təklifi"),
          ("Əla xəbərdir.", "Çox təəssüf.", "Davamını gözləyirik.")),
         lambda d: f"{d.day} {_AZ_MONTHS[d.month - 1]} {d.year}, {d:%H:%M}"),
]}

HEADLINES = {  # four headlines per language: the lead's story first
    "en": ("Harbour council approves flood barrier", "Railway season ends early", "Museum reopens its doors",
           "Farmers meet the minister"),
    "ja": ("鹿児島で大雨、住民が避難", "鉄道の新計画を発表", "大学の研究に予算", "観光客が過去最多"),
    "zh": ("北京启动公共交通新措施", "铁路建设加快推进", "大学研究获得新预算", "旅游市场持续升温"),
    "th": ("เขื่อนร้าวชาวบ้านอพยพ", "รถไฟสายใหม่เปิดแล้ว", "มหาวิทยาลัยได้งบวิจัย", "นักท่องเที่ยวเพิ่มขึ้น"),
    "ko": ("기상청 호우 경보 발령", "철도 신규 노선 발표", "대학 연구 예산 증액", "관광객 역대 최다"),
    "ar": ("خطة جديدة لدعم المزارعين", "افتتاح خط القطار الجديد", "ميزانية جديدة للجامعة", "ارتفاع عدد السياح"),
    "ru": ("В Казани открылась станция метро", "Железная дорога обновит расписание", "Университет получил бюджет",
           "Туристов стало больше"),
    "tr": ("İstanbul'da yeni metro hattı", "Demiryolu planı açıklandı", "Üniversiteye araştırma bütçesi",
           "Turist sayısı rekor kırdı"),
    "az": ("Bakıda yeni metro stansiyası açıldı", "Dəmiryolu planı açıqlandı", "Universitetə tədqiqat büdcəsi",
           "Turistlərin sayı artıb"),
}


def world_site(web: SimWeb, code: str, name: str | None = None) -> Site:
    lang = LANGS[code]
    site = web.add_site(name or f"{code}-news", title=lang.site, lang=code)
    site.pool = [f"{h} {i}" for i in (1, 2) for h in lang.chrome[0]]  # most-read boxes sample five
    site.ads, site.comments, site.footer = list(lang.chrome[1]), list(lang.chrome[2]), list(lang.chrome[0])
    site.title_sep, site.human_date, site.structured = lang.sep, lang.date, False
    return site


def story(lang: Lang, seed: int, paragraphs: int = 6, lead: bool = False) -> list[str]:
    """Paragraphs of news prose drawn from the language's vocabulary (three sentences of 9-12 words each),
    distinct per seed; with lead, the first starts with the language's lead sentence."""
    rng = random.Random(f"{lang.code}-{seed}")
    join = "" if lang.spaceless else " "  # between words, and between sentences (Thai ends them with a space)
    out = []
    for _ in range(paragraphs):
        sentences = [_sentence(lang, rng) for _ in range(4)]
        out.append(join.join(sentences).strip())
    if lead:
        out[0] = lang.lead + (join or " ") * (lang.code != "ja" and lang.code != "zh") + out[0]
    return out


_JA_PARTICLES = ("は", "が", "を", "に", "で", "と", "の", "も", "から", "について")


def _sentence(lang: Lang, rng: random.Random) -> str:
    words = [rng.choice(lang.vocabulary) for _ in range(rng.randint(10, 14))]
    if lang.code == "ja":  # Japanese prose: nouns tied by particles, a verb at the end
        return "".join(w + rng.choice(_JA_PARTICLES) for w in words[:-1]) + words[-1] + "した。"
    return ("" if lang.spaceless else " ").join(words) + lang.stop


def reworded(lang: Lang, paragraphs: list[str], seed: int) -> list[str]:
    """The paragraphs with one phrase (a vocabulary word) reworded in each: a republished copy."""
    rng = random.Random(seed)
    out = []
    for p in paragraphs:
        word = next((w for w in lang.vocabulary if w in p), None)
        other = rng.choice([w for w in lang.vocabulary if w != word])
        out.append(p.replace(word, other, 1) if word else p)
    return out


def published(days: int = 3) -> datetime:
    """A publication time in the past, at 10:30 UTC (the same day in every zone the pages use)."""
    day = datetime.now(UTC).replace(hour=10, minute=30, second=0, microsecond=0) - timedelta(days=days)
    return day
