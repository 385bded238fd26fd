"""The words dates are written with: month names, labels that say "published" or "updated", time
zones. Data only; dates.py reads them. Keys are folded with `key()` so that case, accents and the
Arabic/Persian letter variants a page may use (ي/ی, ك/ک, أ/ا) do not matter.
"""

from __future__ import annotations

from ..segment import fold

# Month names, one line of twelve per language; "/" separates the forms of one month (genitive and
# nominative, spellings). Hebrew is looked up without its prefix ב ("בנובמבר").
_MONTH_LINES = {
    "en": "january february march april may june july august september october november december",
    "de": "januar/jänner februar/feber märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre/setiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "ru": "января/январь февраля/февраль марта/март апреля/апрель мая/май июня/июнь июля/июль "
    "августа/август сентября/сентябрь октября/октябрь ноября/ноябрь декабря/декабрь",
    "uk": "січня/січень лютого/лютий березня/березень квітня/квітень травня/травень червня/червень "
    "липня/липень серпня/серпень вересня/вересень жовтня/жовтень листопада/листопад грудня/грудень",
    "be": "студзеня/студзень лютага/люты сакавіка/сакавік красавіка/красавік мая/май чэрвеня/чэрвень "
    "ліпеня/ліпень жніўня/жнівень верасня/верасень кастрычніка/кастрычнік лістапада/лістапад снежня/снежань",
    "bg": "януари февруари март април май юни юли август септември октомври ноември декември",
    "sr": "јануар фебруар март април мај јун јул август септембар октобар новембар децембар",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "az": "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
    "pl": "stycznia/styczeń lutego/luty marca/marzec kwietnia/kwiecień maja/maj czerwca/czerwiec "
    "lipca/lipiec sierpnia/sierpień września/wrzesień października/październik listopada/listopad "
    "grudnia/grudzień",
    "cs": "ledna/leden února/únor března/březen dubna/duben května/květen června/červen července/červenec "
    "srpna/srpen září října/říjen listopadu prosince/prosinec",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts/mars april maj/mai juni juli august september oktober november december",
    "fi": "tammikuuta/tammikuu helmikuuta/helmikuu maaliskuuta/maaliskuu huhtikuuta/huhtikuu "
    "toukokuuta/toukokuu kesäkuuta/kesäkuu heinäkuuta/heinäkuu elokuuta/elokuu syyskuuta/syyskuu "
    "lokakuuta/lokakuu marraskuuta/marraskuu joulukuuta/joulukuu",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "hu": "január február március április május június július augusztus szeptember október november december",
    "id": "januari februari maret april mei juni juli agustus september oktober november desember",
    "el": "ιανουαρίου/ιανουάριος φεβρουαρίου/φεβρουάριος μαρτίου/μάρτιος απριλίου/απρίλιος μαΐου/μάιος "
    "ιουνίου/ιούνιος ιουλίου/ιούλιος αυγούστου/αύγουστος σεπτεμβρίου/σεπτέμβριος οκτωβρίου/οκτώβριος "
    "νοεμβρίου/νοέμβριος δεκεμβρίου/δεκέμβριος",
    # Arabic: Egyptian/Gulf names, the Levantine/Iraqi ones, and the Maghreb's.
    "ar": "يناير/كانون_الثاني/جانفي فبراير/شباط/فيفري مارس/آذار أبريل/إبريل/نيسان/أفريل مايو/أيار/ماي "
    "يونيو/يونية/حزيران/جوان يوليو/يولية/تموز/جويلية/يوليوز أغسطس/آب/أوت/غشت سبتمبر/أيلول/شتنبر "
    "أكتوبر/تشرين_الأول نوفمبر/تشرين_الثاني/نونبر ديسمبر/كانون_الأول/دجنبر",
    "fa": "ژانویه فوریه مارس آوریل مه/می ژوئن ژوئیه/جولای اوت/آگوست سپتامبر اکتبر نوامبر دسامبر",
    "ur": "جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر",
    "hi": "जनवरी फ़रवरी/फरवरी मार्च अप्रैल/अप्रेल मई जून जुलाई अगस्त सितंबर/सितम्बर अक्टूबर/अक्तूबर नवंबर/नवम्बर दिसंबर/दिसम्बर",
    "th": "มกราคม/ม.ค. กุมภาพันธ์/ก.พ. มีนาคม/มี.ค. เมษายน/เม.ย. พฤษภาคม/พ.ค. มิถุนายน/มิ.ย. "
    "กรกฎาคม/ก.ค. สิงหาคม/ส.ค. กันยายน/ก.ย. ตุลาคม/ต.ค. พฤศจิกายน/พ.ย. ธันวาคม/ธ.ค.",
    "he": "ינואר פברואר מרץ/מרס אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר",
}
# The Solar Hijri (Jalali) months of Iran and Afghanistan: their dates are converted (dates.py).
JALALI_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند"
# Languages whose 3- and 4-letter abbreviations ("Nov", "нояб.", "Kas") are in common use.
_ABBREVIATED = frozenset("en de fr es it pt nl ru uk be bg sr tr az pl sv da ro id el".split())
THAI = frozenset(("th",))

_ARABIC_VARIANTS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه",
                                  "\u200c": "", "ـ": "", " ": "_"})  # fmt: skip


def key(word: str) -> str:
    """A month word or label as the tables store it."""
    return fold(word.strip(" .")).translate(_ARABIC_VARIANTS)


def _month_table() -> tuple[dict[str, int], dict[str, str]]:
    full: dict[str, int] = {}
    lang_of: dict[str, str] = {}
    abbreviations: dict[str, set[int]] = {}
    for lang, line in _MONTH_LINES.items():
        for number, forms in enumerate(line.split(), start=1):
            for form in forms.split("/"):
                full[key(form)] = number
                lang_of.setdefault(key(form), lang)
                if lang in _ABBREVIATED:
                    for size in (3, 4):
                        abbreviations.setdefault(key(form)[:size], set()).add(number)
    # An abbreviation two languages read as different months ("mar": March, or Finnish marraskuu) is
    # dropped; a full name always wins over an abbreviation.
    for short, numbers in abbreviations.items():
        if len(numbers) == 1 and short not in full:
            full[short] = next(iter(numbers))
    for number, name in enumerate(JALALI_MONTHS.split(), start=1):
        lang_of[key(name)] = "jalali"
        full[key(name)] = number
    return full, lang_of


MONTHS, MONTH_LANG = _month_table()

# Labels in front of a date. "Updated" words mark the modification date; "published" words the
# publication date. Folded (see key), matched as substrings of the folded text before the date.
MODIFIED_LABELS = tuple(
    key(w)
    for w in (
        "updated|update|last modified|modified|revised|обновлено|обновлен|изменено|оновлено|оновлення|"
        "абноўлена|актуализирано|ажурирано|güncelleme|güncellendi|güncellenme|yeniləndi|yenilənib|"
        "更新|수정|업데이트|actualizado|actualización|actualisé|mis à jour|modifié|aktualisiert|"
        "aktualisierung|geändert|aggiornato|atualizado|atualização|bijgewerkt|gewijzigd|zaktualizowano|"
        "aktualizacja|aktualizováno|uppdaterad|opdateret|oppdatert|päivitetty|actualizat|frissítve|"
        "diperbarui|ενημερώθηκε|ενημέρωση|تحديث|آخر تعديل|به‌روزرسانی|بروزرسانی|به روز|اپ ڈیٹ|อัปเดต|"
        "ปรับปรุง|अपडेट|עודכן|cập nhật"
    ).split("|")
)
PUBLISHED_LABELS = tuple(
    key(w)
    for w in (
        "published|posted|publish|опубликовано|опубликован|публикация|опубліковано|публікація|"
        "публикувано|objavljeno|yayınlanma|yayınlandı|yayın tarihi|dərc|公開|配信|掲載|発行|発表|发布|"
        "發布|发表|發表|입력|등록|게재|발행|publié|veröffentlicht|publicado|publicada|pubblicato|"
        "gepubliceerd|opublikowano|publikováno|publicerad|publiceret|publisert|julkaistu|publicat|"
        "közzétéve|diterbitkan|δημοσιεύθηκε|δημοσίευση|نشر|تاريخ النشر|منتشر شده|انتشار|شائع|"
        "เผยแพร่|प्रकाशित|פורסם|đăng"
    ).split("|")
)
# Labels that follow the date in Japanese and Chinese pages (Korean ones lead: "입력 2026.11.20"): "11月20日 10時30分配信".
TRAILING_LABELS = {w: kind for kind, words in (("published", "公開 配信 掲載 発行 発表 发布 發布 发表 發表"),
                                             ("modified", "更新")) for w in words.split()}  # fmt: skip

# Zone abbreviations with one meaning in news pages (IST, CST, BST, AST have several: left out).
ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "МСК": 180, "TRT": 180, "AZT": 240, "GST": 240, "PKT": 300,
    "ICT": 420, "WIB": 420, "WITA": 480, "WIT": 540, "HKT": 480, "SGT": 480, "PHT": 480, "JST": 540,
    "KST": 540, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "HST": -600,
}  # fmt: skip
# A language's usual zone, only where the language is written in one zone (or one zone rule):
# a time a Japanese page shows without a zone is Tokyo's. Russian, English, Arabic, Spanish... span
# many zones: their naive times stay as given (taken as UTC, as naive machine dates are).
USUAL_ZONE = {
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "th": "Asia/Bangkok", "tr": "Europe/Istanbul",
    "az": "Asia/Baku", "zh": "Asia/Shanghai", "he": "Asia/Jerusalem", "el": "Europe/Athens",
    "hu": "Europe/Budapest", "pl": "Europe/Warsaw", "cs": "Europe/Prague", "bg": "Europe/Sofia",
    "ka": "Asia/Tbilisi", "hy": "Asia/Yerevan", "hi": "Asia/Kolkata", "vi": "Asia/Ho_Chi_Minh",
}  # fmt: skip
