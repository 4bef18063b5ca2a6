"""Documents to import, written for these tests (no real story): the same short original work as a Word .docx, a
LibreOffice .odt, HTML as Word, LibreOffice and Google Docs export it, Markdown, plain text in Windows-1252, an
EPUB, and AO3 downloads (HTML, and EPUB as AO3's calibre conversion shapes it) in AO3's published download
structure. Standard library only."""
import html
import io
import zipfile

TITLE = "The Lamplighter\u2019s Daughter"
SUMMARY = "Wren keeps the harbour lamps lit through the longest night of the year."
CHAPTERS = [
    ("The Longest Night", [
        "Wren climbed the harbour steps with the oil can knocking against her knee.",
        "\u201cYou\u2019re late,\u201d said the ferryman\u2026 and then, more kindly, \u201cIt\u2019s cold.\u201d",
        "* * *",
        "By midnight every lamp along the quay was burning, and she let herself rest.",
    ]),
    ("Morning Tide", [
        "The tide came in grey and slow, carrying the smell of salt and tar.",
        "She counted the boats as they returned: seven, then eight, then all nine.",
    ]),
]
ITALIC = "harbour"  # in the first paragraph, set in italics wherever the format allows
DISCLAIMER = "Disclaimer: The harbour and everyone in it belong to me; this is an original story."
END_NOTE = "Please review and let me know what you think of Wren!"


def paragraphs_with_notes():
    """Every paragraph of the work in reading order, the disclaimer first and the request for reviews last."""
    out = [DISCLAIMER]
    for title, paras in CHAPTERS:
        out.append("Chapter %d: %s" % (CHAPTERS.index((title, paras)) + 1, title))
        out += paras
    out.append(END_NOTE)
    return out


# -- Word .docx --

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_run(text, italic=False, bold=False):
    props = ("<w:i/>" if italic else "") + ("<w:b/>" if bold else "")
    rpr = "<w:rPr>%s</w:rPr>" % props if props else ""
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, html.escape(text, quote=False))


def _w_para(text, style=None, center=False):
    ppr = ""
    if style or center:
        ppr = "<w:pPr>%s%s</w:pPr>" % ('<w:pStyle w:val="%s"/>' % style if style else "",
                                       '<w:jc w:val="center"/>' if center else "")
    runs = ""
    if ITALIC in text and not style:
        before, after = text.split(ITALIC, 1)
        runs = _w_run(before) + _w_run(ITALIC, italic=True) + _w_run(after)
    else:
        runs = _w_run(text)
    return "<w:p>%s%s</w:p>" % (ppr, runs)


def make_docx():
    body = [_w_para(TITLE, style="Title"), _w_para(DISCLAIMER)]
    for i, (title, paras) in enumerate(CHAPTERS):
        body.append(_w_para("Chapter %d: %s" % (i + 1, title), style="Heading1"))
        for p in paras:
            body.append(_w_para(p, center=p == "* * *"))
    body.append(_w_para(END_NOTE))
    # a tracked deletion and a field code Word leaves in documents: neither is text
    body.append('<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>deleted words</w:delText></w:r></w:del></w:p>')
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="%s" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>%s'
                '<w:sectPr/></w:body></w:document>' % (W, "".join(body)))
    styles = ('<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="%s">'
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:b/></w:rPr>'
              '</w:style></w:styles>' % W)
    content_types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                     'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                     'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                     'wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s'
            '</dc:title></cp:coreProperties>' % html.escape(TITLE))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", styles)
        z.writestr("docProps/core.xml", core)
    return buf.getvalue()


# -- LibreOffice .odt --

def make_odt():
    def p(text, style="Standard"):
        t = html.escape(text, quote=False)
        if ITALIC in text:
            t = t.replace(ITALIC, '<text:span text:style-name="T1">%s</text:span>' % ITALIC, 1)
        return '<text:p text:style-name="%s">%s</text:p>' % (style, t)
    body = ['<text:p text:style-name="Title">%s</text:p>' % html.escape(TITLE), p(DISCLAIMER)]
    for i, (title, paras) in enumerate(CHAPTERS):
        body.append('<text:h text:style-name="Heading_20_1" text:outline-level="1">Chapter %d: %s</text:h>'
                    % (i + 1, html.escape(title)))
        for para in paras:
            body.append(p(para, "P1" if para == "* * *" else "Standard"))
    body.insert(-1, '<text:p text:style-name="Standard">A footnote<text:note text:note-class="footnote">'
                    '<text:note-body><text:p>not story text</text:p></text:note-body></text:note> mark.</text:p>')
    body.append(p(END_NOTE))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">'
               '<office:automatic-styles>'
               '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic"/>'
               '</style:style>'
               '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard">'
               '<style:paragraph-properties fo:text-align="center"/></style:style>'
               '</office:automatic-styles><office:body><office:text>%s</office:text></office:body>'
               '</office:document-content>' % "".join(body))
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:'
            'xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>%s</dc:title>'
            '</office:meta></office:document-meta>' % html.escape(TITLE))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("meta.xml", meta)
        z.writestr("styles.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-styles '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return buf.getvalue()


# -- HTML as word processors export it --

def _body_paragraphs(fmt_para, heading):
    out = [fmt_para(DISCLAIMER)]
    for i, (title, paras) in enumerate(CHAPTERS):
        out.append(heading("Chapter %d: %s" % (i + 1, title)))
        out += [fmt_para(p) for p in paras]
    out.append(fmt_para(END_NOTE))
    return "\n".join(out)


def make_word_html():
    def para(t):
        t = html.escape(t, quote=False).replace(ITALIC, "<i>%s</i>" % ITALIC, 1)
        align = " align=center" if t == "* * *" else ""
        return "<p class=MsoNormal%s>%s<o:p></o:p></p>" % (align, t)
    return ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\">"
            "<head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\"><title>%s</title>"
            "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->"
            "<style>p.MsoNormal{margin:0cm;font-family:\"Times New Roman\"}</style></head><body lang=EN-US>"
            "<div class=WordSection1>%s</div></body></html>"
            % (html.escape(TITLE), _body_paragraphs(para, lambda h: "<h1>%s<o:p></o:p></h1>" % html.escape(h))))


def make_gdocs_html():
    def para(t):
        t = html.escape(t, quote=False).replace(ITALIC, '</span><span class="c2">%s</span><span class="c1">' % ITALIC, 1)
        cls = "c3 c4" if t == "* * *" else "c3"
        return '<p class="%s"><span class="c1">%s</span></p>' % (cls, t)
    return ('<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type"><style type="text/css">'
            '.c1{color:#000000;font-weight:400;font-style:normal}.c2{font-style:italic;font-weight:400}'
            '.c3{padding-top:0pt;line-height:1.15}.c4{text-align:center}.title{font-size:26pt}</style></head>'
            '<body class="c5 doc-content"><b style="font-weight:normal" id="docs-internal-guid-1234">%s</b>'
            '</body></html>' % _body_paragraphs(para, lambda h: '<h2 class="c3"><span class="c1">%s</span></h2>'
                                                                  % html.escape(h)))


def make_libreoffice_html():
    def para(t):
        t = html.escape(t, quote=False).replace(ITALIC, "<i>%s</i>" % ITALIC, 1)
        if t == "* * *":
            return '<p align="center" style="margin-bottom: 0cm">%s</p>' % t
        return '<p style="margin-bottom: 0cm; line-height: 100%%">%s</p>' % t
    return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN"><html><head><meta http-equiv="content-type" '
            'content="text/html; charset=utf-8"/><title>%s</title><meta name="generator" content="LibreOffice 7.4"/>'
            '<style type="text/css">@page { size: 21cm 29.7cm }</style></head><body lang="en-GB" dir="ltr">%s</body>'
            '</html>' % (html.escape(TITLE), _body_paragraphs(para, lambda h: '<h1 class="western">%s</h1>'
                                                                                % html.escape(h))))


def make_markdown():
    out = ["# " + TITLE, "", DISCLAIMER, ""]
    for i, (title, paras) in enumerate(CHAPTERS):
        out += ["## Chapter %d: %s" % (i + 1, title), ""]
        for p in paras:
            out += [p.replace(ITALIC, "*%s*" % ITALIC, 1) if p != "* * *" else "\\* \\* \\*", ""]
    out += [END_NOTE, ""]
    return "\n".join(out)


def make_cp1252_text():
    out = [DISCLAIMER, ""]
    for i, (title, paras) in enumerate(CHAPTERS):
        out += ["Chapter %d" % (i + 1), ""]
        for p in paras:
            out += [p, ""]
    out += [END_NOTE]
    return "\r\n".join(out).encode("cp1252")


# -- EPUB (any publisher's) --

def make_epub(chapters=CHAPTERS, title=TITLE, extra=None):
    files = {}
    manifest, spine = [], []
    for i, (ct, paras) in enumerate(chapters):
        body = "".join("<p>%s</p>" % html.escape(p, quote=False) for p in paras)
        files["OEBPS/ch%d.xhtml" % (i + 1)] = ('<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/'
                                               '1999/xhtml"><head><title>%s</title></head><body><h1>%s</h1>%s</body>'
                                               '</html>' % (html.escape(ct), html.escape(ct), body))
        manifest.append('<item id="c%d" href="ch%d.xhtml" media-type="application/xhtml+xml"/>' % (i + 1, i + 1))
        spine.append('<itemref idref="c%d"/>' % (i + 1))
    files["OEBPS/nav.xhtml"] = ('<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                                '<body><nav><ol><li>Contents</li></ol></nav></body></html>')
    manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
    spine.insert(0, '<itemref idref="nav"/>')
    opf = ('<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
           'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x'
           '</dc:identifier><dc:title>%s</dc:title><dc:creator>A. Writer</dc:creator><dc:language>en</dc:language>'
           '<dc:description>%s</dc:description><dc:subject>Lighthouses</dc:subject></metadata><manifest>%s</manifest>'
           '<spine>%s</spine></package>' % (html.escape(title), html.escape(SUMMARY), "".join(manifest), "".join(spine)))
    files["OEBPS/content.opf"] = opf
    if extra:
        files.update(extra)
    return zip_epub(files)


def zip_epub(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                   'opendocument:xmlns:container"><rootfiles><rootfile full-path="%s" media-type="application/'
                   'oebps-package+xml"/></rootfiles></container>'
                   % next(n for n in files if n.endswith(".opf")))
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


# -- AO3 downloads --

AO3_WORK = {
    "url": "https://archiveofourown.org/works/987654321",
    "title": "Salt & Lamplight",
    "creators": [("harbourwren", "https://archiveofourown.org/users/harbourwren/pseuds/harbourwren"),
                 ("tidewriter", "https://archiveofourown.org/users/tidewriter/pseuds/Tide")],
    "rating": "Teen And Up Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "categories": ["F/F", "Gen"],
    "fandoms": ["Harbour Lights (TV)", "Original Work"],
    "relationships": ["Wren/Ferryman's Daughter"],
    "characters": ["Wren", "The Ferryman"],
    "freeforms": ["Slow Burn", "Lighthouses", "Hurt/Comfort"],
    "language": "English",
    "series": ("Harbour Stories", "https://archiveofourown.org/series/4242", 2),
    "published": "2021-03-04",
    "updated": "2022-05-06",
    "complete": False,
    "expected": 3,
    "summary": ["Wren keeps the lamps lit.", "The ferryman's daughter keeps Wren company."],
    "notes": ["Written for a winter exchange."],
    "end_notes": ["Thank you for reading: more soon."],
    "chapters": [
        {"title": "The Longest Night", "summary": "Night falls.", "notes": "Chapter one notes.",
         "end_notes": "Chapter one end notes.",
         "text": ["Wren climbed the harbour steps with the oil can knocking against her knee.",
                  "\u201cYou\u2019re late,\u201d said the ferryman\u2026 and then, more kindly, \u201cIt\u2019s cold.\u201d"]},
        {"title": "", "summary": "", "notes": "", "end_notes": "Second chapter end notes.",
         "text": ["The tide came in grey and slow.", "She counted the boats as they returned."]},
    ],
}


def _links(items, base="https://archiveofourown.org/tags/"):
    return ", ".join('<a rel="tag" href="%s%s">%s</a>' % (base, html.escape(t.replace("/", "*s*")), html.escape(t))
                     for t in items)


def _userstuff(paras):
    return "".join("<p>%s</p>" % html.escape(p, quote=False) for p in paras)


def ao3_preface(w):
    def dl(label, items):
        if not items:
            return ""
        return "<dt>%s:</dt>\n<dd>%s</dd>\n" % (label, _links(items))
    series_title, series_url, series_pos = w["series"]
    stats = "Published: %s\n%s: %s\nWords: 1,234\nChapters: %d/%s" % (
        w["published"], "Completed" if w["complete"] else "Updated", w["updated"], len(w["chapters"]),
        w["expected"] or "?")
    tags = (dl("Rating", [w["rating"]]) + dl("Archive Warning", w["warnings"]) + dl("Categories", w["categories"]) +
            dl("Fandoms", w["fandoms"]) + dl("Relationship", w["relationships"]) + dl("Characters", w["characters"]) +
            dl("Additional Tags", w["freeforms"]) + "<dt>Language:</dt>\n<dd>%s</dd>\n" % w["language"] +
            '<dt>Series:</dt>\n<dd>Part %d of\n<a href="%s">%s</a></dd>\n' % (series_pos, series_url,
                                                                              html.escape(series_title)) +
            "<dt>Stats:</dt>\n<dd>\n%s\n</dd>\n" % stats)
    byline = ", ".join('<a rel="author" href="%s">%s</a>' % (u, html.escape(n)) for n, u in w["creators"])
    return ('<div id="preface">\n<h2 class="toc-heading">Preface</h2>\n<p class="message">\n<b>%s</b><br/>\n'
            'Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at '
            '<a href="%s">%s</a>.\n</p>\n<div class="meta">\n<dl class="tags">\n%s</dl>\n<h1>%s</h1>\n'
            '<div class="byline">by %s</div>\n<p>Summary</p>\n<blockquote class="userstuff">%s</blockquote>\n'
            '<p>Notes</p>\n<blockquote class="userstuff">%s</blockquote>\n<div class="endnote-link">See the end of the '
            'work for <a href="#endnotes">more notes</a></div>\n</div>\n</div>\n'
            % (html.escape(w["title"]), w["url"], w["url"], tags, html.escape(w["title"]), byline,
               _userstuff(w["summary"]), _userstuff(w["notes"])))


def ao3_chapter(c, i):
    heading = "Chapter %d%s" % (i + 1, ": " + c["title"] if c["title"] else "")
    meta = '<div class="meta group">\n<h2 class="heading">%s</h2>\n' % html.escape(heading)
    if c["summary"]:
        meta += '<p>Chapter Summary</p>\n<blockquote class="userstuff"><p>%s</p></blockquote>\n' % html.escape(c["summary"])
    if c["notes"] or c["end_notes"]:
        meta += "<p>Chapter Notes</p>\n"
        if c["notes"]:
            meta += '<blockquote class="userstuff"><p>%s</p></blockquote>\n' % html.escape(c["notes"])
        if c["end_notes"]:
            meta += ('<div class="endnote-link">See the end of the chapter for <a href="#endnotes%d">more notes</a>'
                     '</div>\n' % (i + 1))
    meta += "</div>\n"
    text = '<!--chapter content-->\n<div class="userstuff">\n%s\n</div>\n<!--/chapter content-->\n' % _userstuff(c["text"])
    end = ""
    if c["end_notes"]:
        end = ('<div class="meta" id="endnotes%d">\n<p>Chapter End Notes</p>\n<blockquote class="userstuff"><p>%s</p>'
               '</blockquote>\n</div>\n' % (i + 1, html.escape(c["end_notes"])))
    return meta + text + end


def ao3_afterword(w):
    return ('<div id="afterword">\n<h2 class="toc-heading">Afterword</h2>\n<div class="meta">\n<div id="endnotes">\n'
            '<p>End Notes</p>\n<blockquote class="userstuff">%s</blockquote>\n</div>\n</div>\n<p class="message">'
            'Please <a href="%s/comments/new">drop by the archive and comment</a> to let the creator know if you '
            'enjoyed their work!</p>\n</div>\n' % (_userstuff(w["end_notes"]), w["url"]))


def make_ao3_html(w=AO3_WORK):
    chapters = "".join(ao3_chapter(c, i) for i, c in enumerate(w["chapters"]))
    return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/'
            'xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n'
            '<meta charset="utf-8" />\n<title>%s - %s - %s</title>\n<style type="text/css">p.message { text-align: '
            'center; }</style>\n</head>\n<body>\n%s<div id="chapters" class="userstuff">\n%s</div>\n%s</body>\n</html>\n'
            % (html.escape(w["title"]), w["creators"][0][0], w["fandoms"][0], ao3_preface(w), chapters,
               ao3_afterword(w)))


def _calibre(markup):
    """calibre's conversion keeps ids, labels and structure but renames classes."""
    for i, cls in enumerate(["toc-heading", "message", "meta group", "meta", "tags", "byline", "userstuff",
                             "endnote-link", "heading"]):
        markup = markup.replace('class="%s"' % cls, 'class="calibre%d"' % (i + 1))
    return markup


def make_ao3_epub(w=AO3_WORK):
    """AO3's EPUB: calibre's conversion of the HTML download, split at the chapter headings into files that each
    repeat their wrappers, with calibre's package metadata."""
    head = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en" '
            'xml:lang="en"><head><title>%s</title><link rel="stylesheet" type="text/css" href="stylesheet.css"/>'
            '</head><body class="calibre">' % html.escape(w["title"]))
    parts = [ao3_preface(w)]
    for i, c in enumerate(w["chapters"]):
        parts.append('<div id="chapters" class="userstuff">%s</div>' % ao3_chapter(c, i))
    parts.append(ao3_afterword(w))
    files, manifest, spine = {}, [], []
    base = "Salt_Lamplight"
    for i, p in enumerate(parts):
        name = "%s_split_%03d.xhtml" % (base, i)
        files[name] = head + _calibre(p) + "</body></html>"
        manifest.append('<item id="html%d" href="%s" media-type="application/xhtml+xml"/>' % (i, name))
        spine.append('<itemref idref="html%d"/>' % i)
    series_title, _, series_pos = w["series"]
    opf = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="2.0" '
           'unique-identifier="uuid_id"><metadata xmlns:opf="http://www.idpf.org/2007/opf" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:calibre="http://calibre.kovidgoyal.net/2009/metadata">'
           '<dc:title>%s</dc:title><dc:creator opf:role="aut">%s</dc:creator><dc:publisher>Archive of Our Own'
           '</dc:publisher><dc:language>en</dc:language><dc:subject>Fanworks</dc:subject><dc:identifier '
           'id="uuid_id" opf:scheme="uuid">5b1e</dc:identifier><meta name="calibre:series" content="%s"/>'
           '<meta name="calibre:series_index" content="%d"/></metadata><manifest>%s<item id="ncx" href="toc.ncx" '
           'media-type="application/x-dtbncx+xml"/></manifest><spine toc="ncx">%s</spine></package>'
           % (html.escape(w["title"]), html.escape(" & ".join(n for n, _ in w["creators"])), html.escape(series_title),
              series_pos, "".join(manifest), "".join(spine)))
    files["content.opf"] = opf
    files["toc.ncx"] = '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"/>'
    return zip_epub(files)
