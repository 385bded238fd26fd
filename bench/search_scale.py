"""Search at scale: migration 0006's backfill, the index's size before and after, and query latency.

    .venv/bin/python bench/search_scale.py [--versions 100000] [--db sqlite|postgresql|both] [--repeat 10]
                                           [--copies K]

An archive of VERSIONS versions (one article in ten has a second version) is bulk-inserted at
migration 0004, so 0003's index (FTS5 over versions / GIN on to_tsvector) is built as it was. Texts
are multilingual (about half English-like, the rest Japanese, Chinese, Korean, Thai, Russian,
Turkish, Arabic), made of the words of the article pages in tests/pages plus a long tail of made-up
words in each script, 1-3 KB each. Then: the old index's size, `upgrade` to head (the backfill, timed),
the new index's size, and the median latency of list_articles searches (the browser's own query,
50 newest matches) over words, phrases, prefixes, exclusions in several scripts.
--copies K then copies the upgraded archive's articles, versions and search rows K-1 times under
new ids and URLs (in SQL, the index rebuilt once: a backfill of 1,000,000 versions through Python
takes an hour here) and times the same queries again on K * VERSIONS versions: every posting list K
times longer, what a search walks at that size.
Sizes: SQLite from dbstat (every b-tree of the FTS tables), PostgreSQL pg_total_relation_size.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlalchemy import Connection, bindparam, inspect, text  # noqa: E402

from worker.extract import extract  # noqa: E402
from worker.segment import words  # noqa: E402
from worker.store.engine import make_engine  # noqa: E402
from worker.store.migrate import alembic_config, upgrade  # noqa: E402
from worker.store.models import UTCDateTime  # noqa: E402
from worker.web.queries import ArticleFilter, list_articles  # noqa: E402

START = datetime(2025, 11, 1, tzinfo=UTC)
BATCH = 2000
SPACELESS = {"ja", "zh", "th"}
EXTRA = {  # languages without a page in tests/pages: a few real sentences
    "zh": "中国国家主席出席了会议并发表讲话。北京今天天气晴朗，气温升高。政府宣布新的经济政策以支持中小企业。",
    "th": "เขื่อนแตกทำให้น้ำท่วมหมู่บ้านหลายแห่ง รัฐบาลประกาศมาตรการช่วยเหลือผู้ประสบภัยน้ำท่วมในภาคเหนือ",
}
TAIL = {"en": "abcdefghijklmnopqrstuvwxyz", "ru": "абвгдеёжзийклмнопрстуфхцчшщыэюя", "tr": "abcçdefgğhıijklmnoöprsştuüvyz",
        "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "ja": "あいうえおかきくけこさしすせそ日本語国家新聞記者東京大阪雨雪空港",
        "zh": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年", "ko": "가나다라마바사아자차카타파하기상청은는이",
        "th": "กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอ"}
MIX = [("en", 45), ("ja", 12), ("zh", 10), ("ko", 10), ("th", 5), ("ru", 8), ("tr", 5), ("ar", 5)]
QUERIES = ["government", "w12345", '"officials said"', "infla*", "-sport storm", "雨", "空港", "北海道 -大雪",
           "国家主席", "기상청", "지하철*", "เขื่อน", "ёлка", "istanbul", "المتحف", "zzzznotthere",
           '"government airport"']  # two common words never side by side: a rare phrase


def vocabularies(rng: random.Random) -> dict[str, list[str]]:
    pages = {"en": "en_magazine", "ja": "ja_kiji", "ko": "ko_gisa", "ru": "ru_novosti", "tr": "tr_haber",
             "ar": "ar_khabar"}
    vocab = {}
    for lang, name in pages.items():
        ex = extract((ROOT / "tests" / "pages" / f"{name}.html").read_text(), "https://x.example/", None)
        vocab[lang] = words(ex.title + " " + ex.text)
    vocab["en"] += "government minister said officials election market inflation storm".split()
    vocab["ru"].append("ёлка")
    vocab["tr"].append("İstanbul")
    vocab["ar"].append("المتحف")
    vocab["ko"].append("기상청은")
    for lang, sentence in EXTRA.items():
        vocab[lang] = words(sentence)
    for lang, letters in TAIL.items():  # a long tail: 5,000 made-up words per script
        vocab[lang] += ["".join(rng.choice(letters) for _ in range(rng.randint(2, 7))) for _ in range(5000)]
    vocab["en"] += [f"w{i:05d}" for i in range(20_000)]
    return vocab


def make_text(rng: random.Random, vocab: dict[str, list[str]]) -> tuple[str, str, str]:
    lang = rng.choices([m[0] for m in MIX], [m[1] for m in MIX])[0]
    pool = vocab[lang]
    sep = "" if lang in SPACELESS else " "
    n = rng.randint(150, 400) if sep else rng.randint(300, 900)
    text = sep.join(rng.choice(pool) for _ in range(n))
    return lang, sep.join(rng.choice(pool) for _ in range(8)), text


def _sql(statement: str) -> object:  # explicit columns: the models may have grown since 0004
    clause = text(statement)
    return clause.bindparams(bindparam("t", type_=UTCDateTime())) if ":t" in statement else clause


INSERTS = [
    ("articles", "INSERT INTO articles (id, url, source_id, first_seen_at, last_seen_at, last_checked_at, "
                 "version_count, gone) VALUES (:id, :url, 1, :t, :t, :t, :count, false)"),
    ("urls", "INSERT INTO article_urls (url, article_id) VALUES (:url, :id)"),
    ("fetches", "INSERT INTO fetches (id, source_id, article_id, purpose, requested_url, status, fetched_at, "
                "duration_ms, attempts, not_modified) VALUES (:id, 1, :article_id, 'article', :url, 200, :t, 1, 1, false)"),
    ("versions", "INSERT INTO versions (id, article_id, number, content_hash, title, authors, text, first_seen_at, "
                 "last_seen_at, fetch_id) VALUES (:id, :article_id, :number, :hash, :title, '[]', :text, :t, :t, :id)"),
]


def build(url: str, n_versions: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    vocab = vocabularies(rng)
    command.upgrade(alembic_config(url), "0004")
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(_sql("INSERT INTO sources (id, name, kind, created_at) VALUES (1, 's', 'feed', :t)"), {"t": START})
    vid = aid = 0
    while vid < n_versions:
        rows: dict[str, list[dict]] = {k: [] for k, _ in INSERTS}
        while vid < n_versions and len(rows["versions"]) < BATCH:
            aid += 1
            count = min(2 if rng.random() < 0.1 else 1, n_versions - vid)
            at = START + timedelta(seconds=aid * 30)
            u = f"https://s.example/{aid}"
            rows["articles"].append({"id": aid, "url": u, "t": at, "count": count})
            rows["urls"].append({"url": u, "id": aid})
            _, title, body = make_text(rng, vocab)
            for number in range(1, count + 1):
                vid += 1
                if number > 1:
                    body += " officials said"
                v = {"id": vid, "article_id": aid, "url": u, "t": at, "number": number, "hash": f"{vid:064x}",
                     "title": title, "text": body}
                rows["fetches"].append(v)
                rows["versions"].append(v)
        with engine.begin() as c:
            for key, statement in INSERTS:
                c.execute(_sql(statement), rows[key])
    engine.dispose()


def index_bytes(c: Connection, prefix: str) -> int:
    if c.dialect.name == "sqlite":
        return c.scalar(text("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE :p"), {"p": prefix + "%"})
    if prefix == "versions_fts":  # 0003's expression index
        return c.scalar(text("SELECT coalesce(pg_total_relation_size(to_regclass('ix_versions_search')), 0)"))
    return c.scalar(text("SELECT coalesce(pg_total_relation_size(to_regclass(:p)), 0)"), {"p": prefix})


def measure(url: str, n: int, repeat: int) -> None:
    engine = make_engine(url, writer=False)
    with engine.connect() as c:
        if c.dialect.name != "sqlite":
            c.execute(text("ANALYZE"))
        old = index_bytes(c, "versions_fts")
        text_bytes = c.scalar(text("SELECT sum(length(title) + length(text)) FROM versions"))
    print(f"  old index (0003): {old / 1e6:.1f} MB = {old / n * 1e5 / 1e6:.1f} MB per 100,000 versions "
          f"(text: {text_bytes / 1e6:.0f} M characters)", flush=True)
    t = time.perf_counter()
    upgrade(url)
    took = time.perf_counter() - t
    print(f"  upgrade to head (backfill of {n} versions): {took:.1f} s = {n / took:.0f} versions/s", flush=True)
    with engine.connect() as c:
        if c.dialect.name != "sqlite":
            c.execute(text("ANALYZE"))
        new = index_bytes(c, "version_search")
        print(f"  new index (0006): {new / 1e6:.1f} MB = {new / n * 1e5 / 1e6:.1f} MB per 100,000 versions", flush=True)
    engine.dispose()
    queries(url, repeat)


# what changes in a copy: ids move by a multiple of the table's largest id, URLs get a suffix
COPIED = {
    "articles": {"id": "id + :k * :a", "url": "url || '#' || :k"},
    "article_urls": {"url": "url || '#' || :k", "article_id": "article_id + :k * :a"},
    "fetches": {"id": "id + :k * :f", "article_id": "article_id + :k * :a"},
    "versions": {"id": "id + :k * :v", "article_id": "article_id + :k * :a", "fetch_id": "fetch_id + :k * :f",
                 "duplicate_of_id": "NULL"},
}


def replicate(url: str, copies: int) -> None:
    """copies - 1 more of every article with its versions and search rows; the index built once after."""
    engine = make_engine(url)
    t = time.perf_counter()
    with engine.begin() as c:
        sqlite = c.dialect.name == "sqlite"
        n = {key: c.scalar(text(f"SELECT max(id) FROM {table}"))
             for key, table in (("a", "articles"), ("f", "fetches"), ("v", "versions"))}
        if not sqlite:
            c.execute(text("SET session_replication_role = replica"))  # rows copied whole: no FK checks
            c.execute(text("DROP INDEX ix_version_search"))
        for k in range(1, copies):
            p = {"k": k, **n}
            for table, changed in COPIED.items():
                cols = [col["name"] for col in inspect(c).get_columns(table)]
                values = ", ".join(changed.get(col, col) for col in cols)
                where = " WHERE id <= :v" if table == "versions" else ""
                c.execute(text(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {values} FROM {table}{where}"
                               .replace(" FROM articles", " FROM articles WHERE id <= :a")
                               .replace(" FROM fetches", " FROM fetches WHERE id <= :f")
                               .replace(" FROM article_urls", " FROM article_urls WHERE article_id <= :a")), p)
            if sqlite:
                c.execute(text("INSERT INTO version_search_docs (version_id, document) "
                               "SELECT version_id + :k * :v, document FROM version_search_docs WHERE version_id <= :v"), p)
                c.execute(text("INSERT INTO version_search (rowid, terms) SELECT version_id + :k * :v, "
                               "search_unpack(document) FROM version_search_docs WHERE version_id <= :v"), p)
            else:
                c.execute(text("INSERT INTO version_search (version_id, article_id, document) SELECT "
                               "version_id + :k * :v, article_id + :k * :a, document FROM version_search "
                               "WHERE version_id <= :v"), p)
            print(f"  copy {k} made", flush=True)
        if sqlite:
            c.execute(text("INSERT INTO version_search(version_search) VALUES ('optimize')"))
        else:
            c.execute(text("CREATE INDEX ix_version_search ON version_search USING gin (document)"))
    with engine.connect() as c:
        if c.dialect.name != "sqlite":
            c.execute(text("ANALYZE"))
        versions = c.scalar(text("SELECT count(*) FROM versions"))
        size = index_bytes(c, "version_search")
    engine.dispose()
    print(f"  {copies} copies: {versions} versions in {time.perf_counter() - t:.0f} s; index "
          f"{size / 1e6:.0f} MB", flush=True)


def queries(url: str, repeat: int) -> None:
    engine = make_engine(url, writer=False)
    with engine.connect() as c:
        for q in QUERIES:
            list_articles(c, ArticleFilter(q=q), None, 50)  # warm
            times, found = [], 0
            for _ in range(repeat):
                t = time.perf_counter()
                found = len(list_articles(c, ArticleFilter(q=q), None, 50)[0])
                times.append((time.perf_counter() - t) * 1000)
            print(f"  q={q!r:<22} {statistics.median(times):8.1f} ms median, {max(times):8.1f} max, {found} shown",
                  flush=True)
    engine.dispose()


def run(url: str, args: argparse.Namespace) -> None:
    if args.reuse:
        queries(url, args.repeat)
        return
    if url.startswith("sqlite:///"):
        for f in Path(url[len("sqlite:///"):]).parent.glob(Path(url).name + "*"):
            f.unlink()
    t = time.perf_counter()
    build(url, args.versions)
    print(f"  built at 0004 in {time.perf_counter() - t:.0f} s", flush=True)
    measure(url, args.versions, args.repeat)
    if args.copies > 1:
        replicate(url, args.copies)
        queries(url, args.repeat)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--versions", type=int, default=100_000)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres", help="admin URL")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--copies", type=int, default=1, help="then copy the archive to COPIES times its size")
    ap.add_argument("--dir", default="/tmp", help="where the SQLite file goes")
    ap.add_argument("--keep", action="store_true", help="keep the databases (na-search-N.sqlite3, na_search_bench_N)")
    ap.add_argument("--reuse", action="store_true", help="time the queries again on databases kept by --keep")
    args = ap.parse_args()
    if args.db in ("sqlite", "both"):
        path = Path(args.dir) / f"na-search-{args.versions}.sqlite3"
        print(f"SQLite, {args.versions} versions", flush=True)
        run(f"sqlite:///{path}", args)
        if not args.keep:
            for f in path.parent.glob(path.name + "*"):
                f.unlink()
    if args.db in ("postgresql", "both"):
        import psycopg

        name = f"na_search_bench_{args.versions}"
        admin = psycopg.connect(args.pg, autocommit=True)
        if not args.reuse:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            print(f"PostgreSQL, {args.versions} versions", flush=True)
            run(args.pg.rsplit("/", 1)[0] + "/" + name, args)
        finally:
            if not args.keep:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
