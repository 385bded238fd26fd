"""Bylines -> author names, in the forms news pages in many languages write them.

"By Jane Doe and John Smith", "Von Anna Becker und Jonas Weber", "Автор: Иван Петров и Анна Смирнова",
"Yazar: Ali Veli ve Ayşe Kaya", "Müəllif: Əli Həsənov və Leyla Quliyeva", "بقلم: محمد علي",
"記者 山田太郎", "山田太郎記者", "本报记者 张三 李四", "(서울=연합뉴스) 홍길동 기자", "글=홍길동",
"田中一郎、佐藤花子". Labels, roles, e-mail addresses, URLs and dates go; what is left is split into
names. A date or the site's own name is never an author.
"""

from __future__ import annotations

import html

import regex

from ..segment import chunk_count
from .date_words import ZONES
from .dates import find_dates, normalise
from .render import effective_length
from .titles import name_key

# Labels in front of names, with the mark that follows them (":", "=", "/", or a space).
_LABEL = (
    r"written\s+by|posted\s+by|reported\s+by|story\s+by|words\s+by|post\s+author|by|von|por|par|di|door|"
    r"av|af|veröffentlicht\s+von|erstellt\s+von|geschrieben\s+von|publié\s+par|publicado\s+por|"
    r"interview|fotos?|photos?|bilder?|author|texto|text|tekst|autor|autorka|autorzy|autoři|yazan|yazar|yazarlar|müəllif|müəlliflər|"
    r"автор|авторы|автори|текст|бақылау|бقلم|بقلم|كتب|كتبت|تأليف|نویسنده|مصنف|tác\s+giả|โดย|लेखक|מאת|"
    r"από|κείμενο|글·사진|글|사진|취재|本报记者|本報記者|本报通讯员|特约记者|记者|記者|通讯员|作者|文|撰文|編集部|責任編輯"
)
_LABEL_RE = regex.compile(
    # the label then ":", "=", "/", a space, nothing more, or a capital ("AuthorAndreas Kalt": screen-reader text)
    rf"^\s*(?:(?:{_LABEL})(?:\s*(?:[:=/：]\s*|\s+|$)|(?<=[\p{{Han}}\p{{Hangul}}])(?=\p{{Han}}|\p{{Hangul}}))"
    rf"|(?:author|autor)(?-i:(?=\p{{Lu}}\p{{Ll}})))",
    regex.I,
)
# Roles after a name: "홍길동 기자", "山田太郎記者", "Tom Krisher, AP Auto Writer" (the role only).
_ROLE_SUFFIX_RE = regex.compile(
    r"\s*(?:기자|특파원|선임기자|논설위원|통신원|記者|特派員|編集委員|論説委員|记者|特约记者|编辑|編輯|"
    r"корреспондент|редактор|обозреватель|muhabiri|muhabir|müxbir|chefredakteurin|chefredakteur)(?:\s.*)?$",
    regex.I,
)
_ROLE_WORDS_RE = regex.compile(
    r"\b(?:staff|reporter|correspondent|editor|writer|contributor|columnist|required|wajib|name|"
    r"updated|published|photographer|corresponsal|redactor|redacteur|rédacteur|redakteur|"
    r"редакция|editörü|muhabiri|journalist|journalistin|kolumnist|kolumnistin|redakteurin|autorin|"
    r"korrespondent|korrespondentin|reporterin|veröffentlicht|publiziert|aktualisiert|erstellt|publié|publicado|actualizado)\b",
    regex.I,
)
_NOISE_RE = regex.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\((?:[^()]*=)[^()]*\)|\(\s*\)|\[\s*\]"  # mails, URLs, "(서울=연합뉴스)"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:last\s+)?updated?|published|posted)\b,?"
    r"|(?<!\w)(?:" + "|".join(z for z in ZONES if len(z) > 1) + r")(?!\w)"
    r"|(?<!\d)\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?!\d)",
    regex.I,
)
# Between names. Lower-case conjunctions only: "Sarah E. Needleman" has an initial, not the Italian "e".
_SPLIT_RE = regex.compile(
    r"\s*(?:[,;&|•、，；]|\s[·/—–]\s|\((?:avec|with|mit|con|com|и|ve|və)\s+"
    r"|(?:(?<=\s)|^)(?:and|And|AND|und|y|et|e|ve|və|i|и|і|та|ja|og|och|és|و|와|과|및|と|和|及)(?=\s))\s*"
)
# "Jane Doe, Senior Political Correspondent", "Jane Doe Staff Writer": the role and what follows go.
_ROLE_TAIL_RE = regex.compile(
    r"\s+(?:(?:senior|chief|staff|special|political|foreign|national|contributing|deputy|managing|"
    r"associate|sports?|business|tech(?:nology)?|science|health|AP|Reuters|AFP)\s+)*"
    # ("editor" only after a title: "Letters To The Editor" is a column, not a person)
    r"(?:staff|reporter|correspondent|writer|columnist|contributor|photographer|(?<=\w\s+)(?<!the\s+)editor)s?\b.*$",
    regex.I,
)
_NOT_NAME_RE = regex.compile(r"\d|[<>{}=@]|\.(?:com|net|org|de|at|ch|fr|it|es|pl|ru|uk|co|info)\b|^\W*$")
# Words a date leaves behind in a byline ("Jörn Mecher am", "Posted on"), at a part's end or alone.
_DANGLING_RE = regex.compile(r"(?:^|\s+)(?:am|um|on|at|le|el|il|den|vom|du|del|stand|datum)$", regex.I)
_INITIAL_RE = regex.compile(r"^\p{Latin}\.?$")
# "Brendan Carlin For The Mail", "Jane Doe for CNN": the outlet goes.
_FOR_RE = regex.compile(r"\s+(?i:for)\s+(?:(?i:the)\s+)?\p{Lu}.*$")
_PLACE_RE = regex.compile(
    r"\b(?:germany|deutschland|austria|österreich|schweiz|switzerland|france|usa|uk)\b", regex.I
)
_CREDENTIAL_RE = regex.compile(r"^(?:MA|MD|M\.D\.|PhD|Ph\.D\.|RN|MPH|MS|MSc|DDS|DVM|LCSW|FACP)$")
_SPACED_HAN = regex.compile(r"^\p{Han}{2,4}(?:\s+\p{Han}{2,4})+$")
# A desk before a name ("社会部 佐藤健一記者", "那覇支局 山田"): three characters at least, as "阿部" is a name.
_DESK_RE = regex.compile(r"^\p{Han}{2,6}[部局](?:\s+|$)")
# A byline inside a header line: a label and a colon ("20 noyabr 2026 · Müəllif: Əli Həsənov"), or
# "By" and a capital at a part's start. (No "Foto:" or "Text:": a credit or a label, not a byline.)
_HEADER_LABEL_RE = regex.compile(
    r"(?:^|(?<=[\s·•|,]))(?:(?i:written\s+by|reported\s+by|story\s+by|words\s+by|author|autor|autorka|"
    r"autorzy|yazan|yazar|müəllif|müəlliflər|автор|авторы|автори|بقلم|كتب|نویسنده|tác\s+giả|โดย|लेखक|"
    r"מאת|作者|撰文|记者|記者|本报记者)\s*[:：]|(?:By|BY|Von|Por|Par|Door|بقلم)\s+(?=\p{Lu}|\p{Arabic}))"
)


# A weekday right before a date goes with it ("10:08 am Fri Jul 19, 2013"); alone, "Sun" may be a name.
_WEEKDAY_END_RE = regex.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?,?\s*$|"
    r"\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo),?\s*$|"
    r"\b(?:am|um|on|at|le|el|il|den|vom|du|del|stand|datum)[\s:,]*$",
    regex.I,
)


def _without_dates(text: str) -> str:
    for found in reversed(find_dates(text)):
        before = _WEEKDAY_END_RE.sub(
            "", _WEEKDAY_END_RE.sub("", text[: found.start])
        )  # "Fri, on", "am Montag,"
        text = before + " , " + text[found.end :]
    return text


def _strip(part: str) -> str:
    part = part.strip(" .:-–—|/\"'«»“”")
    if part.count("(") != part.count(")"):
        part = part.strip("()")
    return part.strip()


def _one(part: str, whole: bool = False) -> str:
    """A part without its labels ("By", "記者", "글="), and, for one name, its role ("기자 ...")."""
    part = _strip(part)
    for _ in range(2):  # a label may follow another ("글·사진 = ", "By: Autor")
        before = part
        part = _strip(_LABEL_RE.sub("", part))
        if not whole:
            part = _strip(_ROLE_SUFFIX_RE.sub("", part))
        if part == before:
            break
    return part


def _parts(text: str) -> list[str]:
    """The candidate names of a cleaned byline, labels, roles and leftovers gone."""
    out = []
    for chunk in _SPLIT_RE.split(_one(text, whole=True)):
        # "记者 张三 李四": Chinese names side by side, only spaces between them.
        for part in chunk.split() if _SPACED_HAN.match(chunk.strip()) else [chunk]:
            part = _FOR_RE.sub("", _DANGLING_RE.sub("", _DESK_RE.sub("", _one(part))).strip())
            if not part or _NOT_NAME_RE.search(part) or effective_length(part) > 60 or len(part.split()) > 5:
                continue
            if _CREDENTIAL_RE.match(part) or _INITIAL_RE.match(part):  # "Goodman, MA", "Kooman, F"
                continue
            out.append(part)
    return out


def split_names(raw: str | None, site_names: tuple[str, ...] = ()) -> list[str]:
    """'By Jane Doe and John Smith' -> ['Jane Doe', 'John Smith']; [] when no name is there."""
    if not raw:
        return []
    if "&" in raw:
        raw = html.unescape(raw)  # "Redacci&oacute;n", "O&#8217;Donnell"
    text = " ".join(normalise(raw).replace("\u200b", "").split())
    names = _parts(_NOISE_RE.sub(" , ", _without_dates(text)))
    sites = {name_key(s) for s in site_names if s}
    whole = name_key(text)
    if any(len(k) >= 4 and k in whole for k in sites):
        # The site itself ("Süddeutsche.de GmbH, Munich, Germany"): its address is no one either,
        # unless a person stands beside it ("Jane Doe | The Gazette").
        names = [
            n for n in names if name_key(n) not in sites and chunk_count(n) >= 2 and not _PLACE_RE.search(n)
        ]
    # "Tom Krisher, AP Auto Writer": the role goes when a name stands beside it; alone, only its tail
    # ("Jane Doe Staff Writer"), unless that leaves one word ("Gazette Staff" stays).
    people = [name for name in names if not _ROLE_WORDS_RE.search(name)]
    if people:
        return people
    names = [name for name in names if _ROLE_WORDS_RE.sub("", name).strip()]  # "Staff Writer": no one
    return [cut if len((cut := _ROLE_TAIL_RE.sub("", name)).split()) >= 2 else name for name in names]


_NEXT_FIELD_RE = regex.compile(r"\s\p{L}[\p{L}-]*\s*[:：]")


def header_byline(line: str, site_names: tuple[str, ...] = ()) -> list[str]:
    """The names a labelled byline in a header line gives ("20 noyabr 2026, 11:45 · Müəllif: Əli
    Həsənov və Leyla Quliyeva"); [] for a line with no byline label."""
    found = _HEADER_LABEL_RE.search(line)
    if not found:
        return []
    # up to the next field's label ("Autor: Redaktion Kategorie: Pflege")
    rest = _NEXT_FIELD_RE.split(line[found.end() :], maxsplit=1)[0]
    return split_names(line[found.start() : found.end()] + rest, site_names)
