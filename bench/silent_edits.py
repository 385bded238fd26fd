"""Precision and recall of the silent/acknowledged verdict (worker/acknowledged.py) on a constructed set
of edits in the 24 languages of worker/lexicon.py.

    python bench/silent_edits.py [--show] [--real]

Each edit is a pair of article pages (HTML, run through the real extractor, so a note in an <aside>,
a <footer> or a "disclaimer" box is judged as archived), labelled acknowledged or silent by how it was
made. Acknowledged: a correction / update / editor's note added (every label of the language, written
"Label:", "LABEL —", "Label (date):", "【Label】", as a heading over its paragraph; at the top, at the
bottom, in a box; and the language's own note sentences, trailing a paragraph), a note reworded, a
dateModified moved forward, an "updated" marker put in the headline. Silent: a reworded headline, a
corrected figure, an added paragraph (some with words like "updated" in them), an edit beside a note
that stayed the same, a correction note removed, a dateModified equal to datePublished. Prints the
counts, precision and recall of both calls; the target is no acknowledged edit called silent.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker import lexicon  # noqa: E402
from worker.acknowledged import Snapshot, verdict  # noqa: E402
from worker.extract import extract  # noqa: E402

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)
# language: (headline, lead paragraph, a paragraph with a figure, the figure, its correction,
#            what a note says was wrong, an ordinary paragraph an edit adds)
LANGS: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "en": ("Council approves city budget", "The city council approved the new budget on Tuesday after a long debate that lasted late into the night.",
           "The plan includes 120 new buses and a tram line to the airport, the mayor said.", "120", "150",
           "an earlier version of this article gave the wrong number of buses.", "The transport company updated its timetable, and officials said fares would stay the same."),
    "de": ("Stadtrat beschließt Haushalt", "Der Stadtrat hat am Dienstag nach langer Debatte bis in die Nacht den neuen Haushalt beschlossen.",
           "Der Plan sieht 120 neue Busse und eine Straßenbahn zum Flughafen vor, sagte der Bürgermeister.", "120", "150",
           "in einer früheren Version dieses Artikels stand eine falsche Zahl der Busse.", "Die Verkehrsbetriebe haben ihren Fahrplan aktualisiert, die Preise bleiben gleich."),
    "fr": ("Le conseil adopte le budget", "Le conseil municipal a adopté mardi le nouveau budget après un long débat qui a duré tard dans la nuit.",
           "Le plan prévoit 120 nouveaux bus et une ligne de tram vers l'aéroport, a indiqué le maire.", "120", "150",
           "une version précédente de cet article donnait un nombre erroné de bus.", "La compagnie de transport a mis à jour ses horaires et les tarifs ne changeront pas."),
    "es": ("El concejo aprueba el presupuesto", "El concejo municipal aprobó el martes el nuevo presupuesto tras un largo debate que duró hasta la noche.",
           "El plan incluye 120 autobuses nuevos y una línea de tranvía al aeropuerto, dijo el alcalde.", "120", "150",
           "una versión anterior de este artículo daba un número erróneo de autobuses.", "La empresa de transporte actualizó sus horarios y las tarifas seguirán igual."),
    "it": ("Il consiglio approva il bilancio", "Il consiglio comunale ha approvato martedì il nuovo bilancio dopo un lungo dibattito durato fino a notte.",
           "Il piano prevede 120 nuovi autobus e una linea tranviaria per l'aeroporto, ha detto il sindaco.", "120", "150",
           "una versione precedente di questo articolo riportava un numero errato di autobus.", "L'azienda dei trasporti ha aggiornato gli orari e le tariffe resteranno invariate."),
    "pt": ("Câmara aprova orçamento", "A câmara municipal aprovou na terça-feira o novo orçamento após um longo debate que durou até a noite.",
           "O plano inclui 120 novos ônibus e uma linha de bonde até o aeroporto, disse o prefeito.", "120", "150",
           "uma versão anterior deste texto informava um número errado de ônibus.", "A empresa de transportes atualizou seus horários e as tarifas continuarão as mesmas."),
    "nl": ("Gemeenteraad keurt begroting goed", "De gemeenteraad heeft dinsdag na een lang debat tot diep in de nacht de nieuwe begroting goedgekeurd.",
           "Het plan omvat 120 nieuwe bussen en een tramlijn naar het vliegveld, zei de burgemeester.", "120", "150",
           "in een eerdere versie stond een verkeerd aantal bussen.", "Het vervoerbedrijf heeft de dienstregeling bijgewerkt en de tarieven blijven gelijk."),
    "pl": ("Rada miasta przyjęła budżet", "Rada miasta przyjęła we wtorek nowy budżet po długiej debacie, która trwała do późnej nocy.",
           "Plan obejmuje 120 nowych autobusów i linię tramwajową na lotnisko, powiedział burmistrz.", "120", "150",
           "w pierwotnej wersji tekstu podaliśmy błędną liczbę autobusów.", "Przewoźnik zaktualizował rozkład jazdy, a ceny biletów się nie zmienią."),
    "ru": ("Горсовет утвердил бюджет", "Городской совет во вторник утвердил новый бюджет после долгих дебатов, продлившихся до поздней ночи.",
           "План предусматривает 120 новых автобусов и трамвайную линию до аэропорта, сообщил мэр.", "120", "150",
           "в первоначальной версии статьи было неверно указано число автобусов.", "Транспортная компания обновила расписание, а цены на билеты останутся прежними."),
    "uk": ("Міськрада ухвалила бюджет", "Міська рада у вівторок ухвалила новий бюджет після довгих дебатів, що тривали до пізньої ночі.",
           "План передбачає 120 нових автобусів і трамвайну лінію до аеропорту, повідомив мер.", "120", "150",
           "у попередній версії статті була неправильно вказана кількість автобусів.", "Транспортна компанія оновила розклад, а ціни на квитки залишаться незмінними."),
    "tr": ("Belediye meclisi bütçeyi onayladı", "Belediye meclisi salı günü gece geç saatlere kadar süren uzun bir tartışmanın ardından yeni bütçeyi onayladı.",
           "Plan 120 yeni otobüs ve havalimanına bir tramvay hattı içeriyor, dedi belediye başkanı.", "120", "150",
           "haberin önceki versiyonunda otobüs sayısı yanlış verilmişti.", "Ulaşım şirketi sefer saatlerini güncelledi ve ücretler aynı kalacak."),
    "az": ("Şəhər şurası büdcəni təsdiqlədi", "Şəhər şurası çərşənbə axşamı gecəyədək davam edən uzun müzakirədən sonra yeni büdcəni təsdiqləyib.",
           "Plana 120 yeni avtobus və hava limanına tramvay xətti daxildir, deyə mer bildirib.", "120", "150",
           "xəbərin əvvəlki versiyasında avtobusların sayı səhv göstərilmişdi.", "Nəqliyyat şirkəti hərəkət cədvəlini yeniləyib, qiymətlər isə dəyişməyəcək."),
    "ar": ("المجلس البلدي يقر الميزانية", "أقر المجلس البلدي يوم الثلاثاء الميزانية الجديدة بعد نقاش طويل استمر حتى وقت متأخر من الليل.",
           "وتشمل الخطة 120 حافلة جديدة وخط ترام إلى المطار، بحسب ما قال رئيس البلدية.", "120", "150",
           "في نسخة سابقة من هذا المقال ورد عدد خاطئ للحافلات.", "وقامت شركة النقل بتحديث جداول مواعيدها، وستبقى الأسعار كما هي."),
    "fa": ("شورای شهر بودجه را تصویب کرد", "شورای شهر روز سه‌شنبه پس از بحثی طولانی که تا دیروقت شب ادامه داشت بودجه جدید را تصویب کرد.",
           "به گفته شهردار، این طرح شامل 120 اتوبوس جدید و یک خط تراموا به فرودگاه است.", "120", "150",
           "در نسخه قبلی این خبر تعداد اتوبوس‌ها اشتباه ذکر شده بود.", "شرکت حمل و نقل جدول زمانی خود را به‌روز کرد و قیمت‌ها تغییر نمی‌کند."),
    "ur": ("سٹی کونسل نے بجٹ منظور کر لیا", "سٹی کونسل نے منگل کو رات گئے تک جاری رہنے والی طویل بحث کے بعد نیا بجٹ منظور کر لیا۔",
           "میئر نے کہا کہ منصوبے میں 120 نئی بسیں اور ہوائی اڈے تک ٹرام لائن شامل ہے۔", "120", "150",
           "اس خبر کے پچھلے ورژن میں بسوں کی تعداد غلط بتائی گئی تھی۔", "ٹرانسپورٹ کمپنی نے اپنا ٹائم ٹیبل بدل دیا ہے اور کرائے وہی رہیں گے۔"),
    "hi": ("नगर परिषद ने बजट पास किया", "नगर परिषद ने मंगलवार को देर रात तक चली लंबी बहस के बाद नया बजट पास कर दिया।",
           "महापौर ने कहा कि योजना में 120 नई बसें और हवाई अड्डे तक ट्राम लाइन शामिल है।", "120", "150",
           "इस खबर के पिछले संस्करण में बसों की संख्या गलत बताई गई थी।", "परिवहन कंपनी ने अपनी समय सारणी बदल दी है और किराया वही रहेगा।"),
    "bn": ("নগর পরিষদ বাজেট পাস করেছে", "নগর পরিষদ মঙ্গলবার গভীর রাত পর্যন্ত চলা দীর্ঘ বিতর্কের পর নতুন বাজেট পাস করেছে।",
           "মেয়র বলেন, পরিকল্পনায় 120টি নতুন বাস এবং বিমানবন্দর পর্যন্ত ট্রাম লাইন রয়েছে।", "120", "150",
           "এই প্রতিবেদনের আগের সংস্করণে বাসের সংখ্যা ভুল লেখা হয়েছিল।", "পরিবহন সংস্থা তাদের সময়সূচি বদলেছে এবং ভাড়া একই থাকবে।"),
    "id": ("DPRD sahkan anggaran kota", "Dewan kota pada Selasa mengesahkan anggaran baru setelah perdebatan panjang yang berlangsung hingga larut malam.",
           "Rencana itu mencakup 120 bus baru dan jalur trem ke bandara, kata wali kota.", "120", "150",
           "pada versi sebelumnya tertulis jumlah bus yang salah.", "Perusahaan transportasi memperbarui jadwalnya dan tarif tetap sama."),
    "vi": ("Hội đồng thành phố thông qua ngân sách", "Hội đồng thành phố hôm thứ Ba đã thông qua ngân sách mới sau cuộc tranh luận kéo dài đến khuya.",
           "Kế hoạch gồm 120 xe buýt mới và một tuyến xe điện tới sân bay, thị trưởng cho biết.", "120", "150",
           "phiên bản trước của bài viết này ghi sai số xe buýt.", "Công ty vận tải đã cập nhật lịch chạy xe và giá vé vẫn giữ nguyên."),
    "ja": ("市議会が予算案を可決", "市議会は火曜日、深夜まで続いた長い議論の末に新しい予算案を可決した。",
           "計画には新しいバス１２０台と空港までの路面電車の路線が含まれると市長は述べた。", "１２０", "１５０",
           "当初の記事でバスの台数に誤りがありました。", "交通局は時刻表を更新したが、運賃は据え置くという。"),
    "zh": ("市议会通过预算案", "市议会周二经过持续到深夜的长时间辩论，通过了新的预算案。",
           "市长说，该计划包括120辆新公交车和一条通往机场的有轨电车线路。", "120", "150",
           "本文此前版本中的公交车数量有误。", "公交公司更新了时刻表，票价保持不变。"),
    "zh-Hant": ("市議會通過預算案", "市議會週二經過持續到深夜的長時間辯論，通過了新的預算案。",
                "市長說，該計畫包括120輛新公車和一條通往機場的輕軌路線。", "120", "150",
                "本文此前版本中的公車數量有誤。", "公車公司更新了時刻表，票價維持不變。"),
    "ko": ("시의회, 예산안 통과", "시의회는 화요일 밤늦게까지 이어진 긴 토론 끝에 새 예산안을 통과시켰다.",
           "시장은 이 계획에 새 버스 120대와 공항까지 가는 트램 노선이 포함된다고 밝혔다.", "120", "150",
           "이전 버전의 기사에서 버스 대수가 잘못 표기됐습니다.", "교통공사는 시간표를 새로 고쳤으며 요금은 그대로 유지된다고 밝혔다."),
    "th": ("สภาเมืองอนุมัติงบประมาณ", "สภาเมืองอนุมัติงบประมาณฉบับใหม่เมื่อวันอังคารหลังการอภิปรายยาวนานจนถึงดึก",
           "นายกเทศมนตรีกล่าวว่าแผนนี้รวมถึงรถเมล์ใหม่ 120 คันและรถรางไปสนามบิน", "120", "150",
           "ในเวอร์ชันก่อนหน้าระบุจำนวนรถเมล์ไม่ถูกต้อง", "บริษัทขนส่งได้ปรับตารางเดินรถและค่าโดยสารยังคงเท่าเดิม"),
}
CJK = {"ja", "zh", "zh-Hant", "ko", "th"}
# Notes without "of this article" (the first run's six misses; their verbs are in the lexicon since).
BARE = {"en": ["An earlier version gave the wrong number of buses."],
        "de": ["In einer früheren Version stand eine falsche Zahl der Busse."],
        "fr": ["Une version précédente donnait un nombre erroné de bus."],
        "es": ["Una versión anterior daba un número erróneo de autobuses."],
        "it": ["Una versione precedente riportava un numero errato di autobus."],
        "pt": ["Uma versão anterior informava um número errado de ônibus."]}
# Paragraphs an edit adds that start like a note or use its words, and are none: silent edits all.
DECOYS = {"en": ["Update your app before Friday, the company told customers, because the old version will stop working then.",
                 "Analysts called the fall a healthy correction after a long rally in technology shares this year.",
                 "Updated figures released by the statistics office on Friday showed the economy grew faster."],
          "de": ["Korrektur der Prognose nach unten erwartet: Ökonomen rechnen mit weniger Wachstum im kommenden Jahr."],
          "fr": ["Mise à jour du logiciel obligatoire, prévient l'éditeur, qui promet une version plus sûre et plus rapide."],
          "ru": ["Обновление приложения станет обязательным с пятницы, предупредила компания своих клиентов."],
          "tr": ["Güncelleme sonrası uygulamanın daha hızlı çalışacağını söyleyen şirket, kullanıcıları uyardı."],
          "ja": ["更新手続きは来月から始まり、市は住民に早めの申請を呼びかけている。", "修正案は来週の本会議で採決される見通しだ。"],
          "zh": ["更新后的数据显示，上个月的客流量比去年同期增长了一成。"],
          "ko": ["수정안은 다음 주 본회의에서 표결에 부쳐질 예정이다."]}
MARKERS = {"en": ["UPDATE 1-{}", "{} (updated)", "CORRECTED-{}", "Updated: {}"], "de": ["{} (aktualisiert)", "Update: {}"],
           "ru": ["{} (обновлено)"], "tr": ["{} (güncellendi)"], "ja": ["【更新】{}", "【訂正】{}"], "ko": ["[정정] {}"],
           "zh": ["【更新】{}"], "fr": ["{} (mis à jour)"], "es": ["{} (actualizado)"], "pt": ["{} (atualizado)"]}


def page(title: str, blocks: list[str], modified: datetime | None = None, top: str = "", bottom: str = "") -> str:
    body = "".join(f"<p>{html.escape(b)}</p>" for b in blocks)
    meta = f'<meta property="article:published_time" content="{T0.isoformat()}">'
    if modified is not None:
        meta += f'<meta property="article:modified_time" content="{modified.isoformat()}">'
    return (f"<html><head><title>{html.escape(title)}</title>{meta}</head><body><article><h1>{html.escape(title)}</h1>"
            f"<div class='story__body'>{top}{body}{bottom}</div><aside class='related'><h3>Related</h3><ul>"
            "<li><a href='/a'>Other story one</a></li><li><a href='/b'>Other story two</a></li></ul></aside>"
            "</article></body></html>")


def label_notes(lang: str, label: str, wrong: str) -> list[tuple[str, str, str]]:
    """(how the note is written, where it stands, the HTML) for one label."""
    sep = "：" if lang in ("ja", "zh", "zh-Hant") else ": "
    text = f"{label.capitalize() if lang not in CJK else label}{sep}{wrong}"
    out = [("label", "bottom", f"<p>{html.escape(text)}</p>"), ("label", "top", f"<p><em>{html.escape(text)}</em></p>")]
    if lang in CJK:
        out.append(("bracket", "top", f"<p>【{html.escape(label)}】{html.escape(wrong)}</p>"))
    else:
        out.append(("upper-dash", "bottom", f"<p><strong>{html.escape(label.upper())}</strong> — {html.escape(wrong)}</p>"))
        out.append(("dated", "bottom", f"<p>{html.escape(label.capitalize())} (4.12.2026): {html.escape(wrong)}</p>"))
    out.append(("heading", "bottom", f"<h3>{html.escape(label.capitalize())}</h3><p>{html.escape(wrong)}</p>"))
    out.append(("aside", "bottom", f'<aside class="correction"><p>{html.escape(text)}</p></aside>'))
    out.append(("footer", "bottom", f"<footer><p>{html.escape(text)}</p></footer>"))
    return out


def cases() -> list[tuple[str, str, bool, str, str]]:
    """(language, what was done, acknowledged?, old page, new page)."""
    out = []
    for lang, (title, lead, figure, n_old, n_new, wrong, ordinary) in LANGS.items():
        blocks = [lead, figure]
        fixed = [lead, figure.replace(n_old, n_new)]
        old = page(title, blocks)
        labels = lexicon.LEXICON[lang]["correction_label"]
        for i, label in enumerate(labels):
            for how, where, note in label_notes(lang, label, wrong):
                if (i + len(how)) % 3 and how not in ("label", "aside"):
                    continue  # every label plainly and in a box; the other shapes for a third of them
                new = page(title, fixed, **{where: note})
                out.append((lang, f"note {how} {where}: {label}", True, old, new))
        for sentence in lexicon.LEXICON[lang]["correction_sentence"][:4]:
            trailing = f"{figure.replace(n_old, n_new)} ({sentence} …)"
            out.append((lang, f"sentence: {sentence}", True, old, page(title, [lead, trailing])))
        for bare in BARE.get(lang, []):
            out.append((lang, f"bare note: {bare[:30]}", True, old, page(title, [*fixed, bare])))
        out.append((lang, "own note, aside", True, old,
                    page(title, fixed, bottom=f'<div class="disclaimer"><p>{html.escape(wrong)}</p></div>')))
        first = f"{labels[0].capitalize() if lang not in CJK else labels[0]}: {wrong}"
        out.append((lang, "note reworded", True, page(title, [*blocks, first]),
                    page(title, [*fixed, first.rstrip("。.") + " — " + figure.replace(n_old, n_new)])))
        out.append((lang, "dateModified moved", True, page(title, blocks, T0 + timedelta(hours=1)),
                    page(title, fixed, T0 + timedelta(hours=5))))
        out.append((lang, "dateModified appeared", True, old, page(title, fixed, T0 + timedelta(hours=5))))
        for marker in MARKERS.get(lang, []):
            out.append((lang, f"headline marker {marker}", True, old, page(marker.format(title), blocks)))
        # silent
        out.append((lang, "headline reworded", False, old, page(title + " " + lead.split()[0], blocks)))
        out.append((lang, "figure corrected", False, old, page(title, fixed)))
        out.append((lang, "paragraph added", False, old, page(title, [*blocks, ordinary])))
        for decoy in DECOYS.get(lang, []):
            out.append((lang, f"decoy added: {decoy[:30]}", False, old, page(title, [*blocks, decoy])))
        out.append((lang, "edit beside an old note", False, page(title, [*blocks, first]), page(title, [*fixed, first])))
        out.append((lang, "correction removed", False, page(title, [*blocks, first]), page(title, blocks)))
        out.append((lang, "dateModified = datePublished", False, old, page(title, fixed, T0)))
        out.append((lang, "dateModified unchanged", False, page(title, blocks, T0 + timedelta(hours=1)),
                    page(title, fixed, T0 + timedelta(hours=1))))
    return out


def _side(html_text: str) -> Snapshot:
    ex = extract(html_text, "https://example.com/2026/12/01/budget")
    return Snapshot(ex.title, ex.text, ex.published_at, ex.modified_at)


def real_pages() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from extraction_same import _data, pages  # type: ignore[import-not-found]

    from worker.acknowledged import headline_markers, notes

    everything = pages(_data())
    found = 0
    for key, url, page_html in everything:
        ex = extract(page_html, url)
        hits = [n.text[:100] for n in notes(ex.text)] + [f"headline: {m}" for m in headline_markers(ex.title)]
        found += bool(hits)
        for hit in hits:
            print(f"  {key[:40]:40} {hit}")
    print(f"{len(everything)} real pages: {found} with a note or a headline mark")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every wrong call")
    parser.add_argument("--real", action="store_true",
                        help="also list the notes and headline marks found in the 1,301 real pages of "
                             "bench/extraction_same.py (single versions: each hit is a note, or a false one)")
    args = parser.parse_args()
    if args.real:
        real_pages()
    tally: Counter[tuple[bool, bool]] = Counter()
    wrong = []
    langs = Counter()
    for lang, what, truth, old, new in cases():
        v = verdict(_side(old), _side(new))
        called = v["acknowledged"]
        assert v["silent"] != called or not (v["silent"] or called), (lang, what, v)
        tally[(truth, called)] += 1
        langs[lang] += 1
        if truth != called:
            wrong.append((lang, what, truth, v["signals"]))
    ack_ok, silent_ok = tally[(True, True)], tally[(False, False)]
    ack_as_silent, silent_as_ack = tally[(True, False)], tally[(False, True)]
    total = sum(tally.values())
    print(f"{total} edits in {len(langs)} languages: {ack_ok + ack_as_silent} acknowledged, "
          f"{silent_ok + silent_as_ack} silent")
    print(f"acknowledged called silent: {ack_as_silent}   silent called acknowledged: {silent_as_ack}")
    print(f"silent call:       precision {silent_ok / max(1, silent_ok + ack_as_silent):.3f}"
          f"  recall {silent_ok / max(1, silent_ok + silent_as_ack):.3f}")
    print(f"acknowledged call: precision {ack_ok / max(1, ack_ok + silent_as_ack):.3f}"
          f"  recall {ack_ok / max(1, ack_ok + ack_as_silent):.3f}")
    for lang, what, truth, signals in wrong if args.show else wrong[:20]:
        print(f"  WRONG {lang:7} {what!r}: truth {'acknowledged' if truth else 'silent'}, signals {signals}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
