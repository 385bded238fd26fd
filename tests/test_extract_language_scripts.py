"""Languages that share a script: Cyrillic (ru/uk/be/bg/sr/kk), Arabic (ar/fa/ur), Han (zh/ja/ko),
Latin with its own letters (tr/az/vi); a wrong declaration is corrected only on long text."""

from __future__ import annotations

import pytest

from worker.extract.language import choose_language, detect_language

TEXTS = {
    "ru": "Правительство России в понедельник одобрило проект бюджета на следующий год. Министр финансов заявил, что расходы на социальные программы вырастут, а дефицит бюджета сократится. Эксперты считают, что экономика столкнётся с новыми трудностями из-за высоких процентных ставок и слабого спроса.",
    "uk": "Уряд України в понеділок схвалив проєкт бюджету на наступний рік. Міністр фінансів заявив, що видатки на соціальні програми зростуть, а дефіцит бюджету скоротиться. Експерти вважають, що економіка зіткнеться з новими труднощами через високі відсоткові ставки та слабкий попит.",
    "be": "Урад Беларусі ў панядзелак ухваліў праект бюджэту на наступны год. Міністр фінансаў заявіў, што выдаткі на сацыяльныя праграмы вырастуць, а дэфіцыт бюджэту скароціцца. Эксперты лічаць, што эканоміка сутыкнецца з новымі цяжкасцямі праз высокія працэнтныя стаўкі.",
    "bg": "Правителството на България одобри в понеделник проектобюджета за следващата година. Министърът на финансите заяви, че разходите за социални програми ще се увеличат, а дефицитът ще намалее. Експертите смятат, че икономиката ще се сблъска с нови трудности заради високите лихвени проценти.",
    "sr": "Влада Србије је у понедељак усвојила предлог буџета за наредну годину. Министар финансија је изјавио да ће се расходи за социјалне програме повећати, а дефицит смањити. Стручњаци сматрају да ће се привреда суочити са новим тешкоћама због високих каматних стопа.",
    "kk": "Үкімет дүйсенбі күні келесі жылғы бюджет жобасын мақұлдады. Қаржы министрі әлеуметтік бағдарламаларға арналған шығындар өсетінін, ал бюджет тапшылығы азаятынын айтты.",
    "tr": "Hükümet pazartesi günü gelecek yılın bütçe taslağını onayladı. Maliye bakanı, sosyal programlara yapılan harcamaların artacağını ve bütçe açığının azalacağını söyledi. Uzmanlar, ekonominin yüksek faiz oranları ve zayıf talep nedeniyle yeni zorluklarla karşılaşacağını düşünüyor.",
    "az": "Hökumət bazar ertəsi gələn ilin büdcə layihəsini təsdiqləyib. Maliyyə naziri bildirib ki, sosial proqramlara xərclər artacaq, büdcə kəsiri isə azalacaq. Ekspertlər hesab edir ki, iqtisadiyyat yüksək faiz dərəcələri və zəif tələb səbəbindən yeni çətinliklərlə üzləşəcək.",
    "vi": "Chính phủ hôm thứ Hai đã phê duyệt dự thảo ngân sách cho năm tới. Bộ trưởng Tài chính cho biết chi tiêu cho các chương trình xã hội sẽ tăng, trong khi thâm hụt ngân sách sẽ giảm.",
    "ja": "政府は月曜日、来年度の予算案を閣議決定した。財務大臣は、社会保障関連の支出が増える一方で、財政赤字は縮小する見通しだと述べた。専門家は、高い金利と弱い需要のため、経済は新たな困難に直面すると見ている。",
    "zh": "政府周一批准了明年的预算草案。财政部长表示，社会项目的支出将会增加，而预算赤字将会减少。专家认为，由于利率高企和需求疲软，经济将面临新的困难。",
    "ko": "정부는 월요일 내년도 예산안을 의결했다. 재정부 장관은 사회 프로그램 지출이 늘어나는 반면 재정 적자는 줄어들 것이라고 말했다. 전문가들은 높은 금리와 약한 수요 때문에 경제가 새로운 어려움에 직면할 것으로 보고 있다.",
    "th": "รัฐบาลอนุมัติร่างงบประมาณสำหรับปีหน้าเมื่อวันจันทร์ รัฐมนตรีว่าการกระทรวงการคลังกล่าวว่าค่าใช้จ่ายสำหรับโครงการทางสังคมจะเพิ่มขึ้น",
    "ar": "وافقت الحكومة يوم الاثنين على مشروع ميزانية العام المقبل. وقال وزير المالية إن الإنفاق على البرامج الاجتماعية سيرتفع بينما سينخفض عجز الميزانية. ويرى الخبراء أن الاقتصاد سيواجه صعوبات جديدة بسبب ارتفاع أسعار الفائدة وضعف الطلب.",
    "fa": "دولت روز دوشنبه لایحه بودجه سال آینده را تصویب کرد. وزیر دارایی گفت که هزینه‌های برنامه‌های اجتماعی افزایش می‌یابد و کسری بودجه کاهش پیدا می‌کند. کارشناسان معتقدند که اقتصاد به دلیل نرخ‌های بالای بهره و تقاضای ضعیف با دشواری‌های تازه‌ای روبرو خواهد شد.",
    "ur": "حکومت نے پیر کے روز اگلے سال کے بجٹ کے مسودے کی منظوری دے دی۔ وزیر خزانہ نے کہا کہ سماجی پروگراموں پر اخراجات بڑھیں گے جبکہ بجٹ خسارہ کم ہو جائے گا۔ ماہرین کا خیال ہے کہ بلند شرح سود اور کمزور طلب کی وجہ سے معیشت کو نئی مشکلات کا سامنا ہوگا۔",
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_detect(lang: str) -> None:
    assert detect_language(TEXTS[lang]) == lang


def test_one_ukrainian_letter_does_not_make_russian_ukrainian() -> None:
    quoting = TEXTS["ru"].replace("заявил,", "заявил (по-украински «заявив, що він і є»),")
    assert detect_language(quoting) == "ru"
    assert choose_language("ru", quoting * 2) == "ru"


@pytest.mark.parametrize(
    ("short", "lang"),
    [("서울 지하철 요금 150원 인상 확정", "ko"), ("東京で大雨 交通に乱れ", "ja"), ("北京暴雨 交通受阻", "zh"),
     ("ฝนตกหนักในกรุงเทพ", "th"), ("Зеленський зустрівся з Макроном у Парижі", "uk"),
     ("Путин встретился с председателем КНР", "ru")],
)  # fmt: skip
def test_short_headlines(short: str, lang: str) -> None:
    assert detect_language(short) == lang
    assert choose_language(None, short) == lang


@pytest.mark.parametrize(
    ("declared", "actual"),
    [("ru", "uk"), ("uk", "ru"), ("ru", "be"), ("ru", "bg"), ("zh", "ja"), ("ja", "zh"), ("tr", "az"),
     ("az", "tr"), ("ar", "fa"), ("fa", "ur"), ("ar", "ur")],
)  # fmt: skip
def test_a_wrong_sibling_declaration_is_corrected_on_long_text(declared: str, actual: str) -> None:
    long_text = (TEXTS[actual] + " ") * 2
    assert choose_language(declared, long_text) == actual
    assert choose_language(actual, long_text) == actual  # a right one always stands


@pytest.mark.parametrize(("declared", "actual"), [("uk", "ru"), ("zh", "ja"), ("tr", "az"), ("ar", "fa")])
def test_short_text_keeps_the_declared_language(declared: str, actual: str) -> None:
    assert choose_language(declared, TEXTS[actual][:80]) == declared


def test_declarations_the_classifiers_do_not_know_stand() -> None:
    tatar = (
        "Хөкүмәт дүшәмбе көнне киләсе елның бюджет проектын хуплады. Финанслар министры әйтүенчә, социаль программаларга чыгымнар артачак. "
        * 3
    )
    assert choose_language("tt", tatar) == "tt"
