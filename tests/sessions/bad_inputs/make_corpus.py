"""Regenerate the bad-input corpus (run from anywhere: ``python make_corpus.py``).

One file per class of bad input the session-report reader must refuse (or read despite an
unusual encoding); ``README.md`` lists the exact message each gets, and
``tests/sessions/test_bad_inputs.py`` checks them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
REPORT = "Session Title: Women online\nDate: 9 December 2016\nSession Organizer: ITU\n"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f"<w:document {W}><w:body>{body}</w:body></w:document>"
    )


def docx(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():  # a fixed date: the corpus regenerates byte for byte
            info = zipfile.ZipInfo(name, date_time=(2016, 12, 9, 10, 15, 0))
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def base(doc: str) -> dict[str, str | bytes]:
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": doc}


def main() -> None:
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank-lines.txt": b"\n   \n\t\n",
        "binary.txt": bytes(range(256)) * 8,
        "report.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "old-word.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "not-a-zip.docx": REPORT.encode(),
        "truncated.docx": docx(base(document("<w:p/>")))[:120],
        "no-document.docx": docx({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS}),
        # 26 MB of one paragraph's text in a ~26 kB file.
        "zip-bomb.docx": docx(
            base(document("<w:p><w:r><w:t>" + "a" * 26_000_000 + "</w:t></w:r></w:p>"))
        ),
        # 2 MB that compresses 1000:1: a bomb by ratio although under the size limit.
        "high-ratio.docx": docx(
            base(document("<w:p><w:r><w:t>" + " " * 2_000_000 + "</w:t></w:r></w:p>"))
        ),
        "many-parts.docx": docx(
            {**base(document("<w:p/>")), **{f"x/{i}": "" for i in range(1001)}}
        ),
        "many-paragraphs.docx": docx(base(document("<w:p/>" * 50_001))),
        "entity-expansion.docx": docx(
            base(
                document(
                    "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>",
                    prolog='<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    + "".join(
                        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10)
                    )
                    + "]>",
                )
            )
        ),
        "only-script.html": b"<html><body><script>alert('x')</script></body></html>",
        "bad-utf16.txt": b"\xff\xfe" + "Session Title: x".encode("utf-16-le") + b"\x00\xd8",
        # Readable despite the encoding: each parses to the title "Women online".
        "utf16-bom.txt": "\ufeff".encode("utf-16-le") + REPORT.encode("utf-16-le"),
        "utf16le-no-bom.txt": REPORT.encode("utf-16-le"),
        "utf16be-no-bom.txt": REPORT.encode("utf-16-be"),
        "utf8-bom.txt": b"\xef\xbb\xbf" + REPORT.encode(),
        "latin1.txt": (REPORT + "Chair/Moderator: Fátima Núñez\n").encode("latin-1"),
        "scripts.html": (
            b"<html><head><script>var s = 'Session Title: Injected';</script></head><body>"
            b"<p>Session Title: Women online</p><script>document.write('x')</script>"
            b"<p>Date: 9 December 2016</p><p>Session Organizer: ITU &lt;script&gt;</p>"
            b"<iframe src='https://example.org'></iframe></body></html>"
        ),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
