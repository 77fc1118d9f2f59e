<?xml version="1.0" encoding="UTF-8"?>
<!-- scan2tei reading preview: the regularized text, every intervention marked, the
     original reading on hover (title attribute), front matter, notes and parallel texts. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="tei">
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:param name="manifest" select="''"/><!-- the IIIF manifest beside the edition, if any -->

  <xsl:template match="/tei:TEI">
    <html lang="{tei:text/@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1]"/></title>
        <style>
          body { font-family: serif; max-width: 60rem; margin: 2rem auto; line-height: 1.6; padding: 0 1rem; }
          header.source { font-family: sans-serif; font-size: .85rem; color: #444; border-bottom: 1px solid #ccc; margin-bottom: 1.5rem; }
          .corr, .reg { background: #e6f2ff; border-bottom: 2px solid #3a7bd5; }
          .corr { background: #ffe9e0; border-bottom-color: #d5573a; }
          .unclear { background: #fff3b0; border-bottom: 2px dotted #b08a00; }
          /* page furniture (running heads, page numbers, signatures): small grey print in the margin's manner, not a deletion */
          .fw { font-family: sans-serif; font-size: .7rem; font-variant: small-caps; letter-spacing: .02em; color: #888; background: #f4f4f4; border-radius: .2rem; padding: 0 .3rem; margin: 0 .2rem; }
          /* historical letterforms (long s → s) are everywhere in a Fraktur book: marked on hover, or all at once on request */
          .reg.letterform { background: none; border-bottom: none; }
          .reg.letterform:hover, body:has(#show-letterforms:checked) .reg.letterform { background: #e6f2ff; border-bottom: 1px solid #3a7bd5; }
          .pb { font-family: sans-serif; font-size: .7rem; color: #fff; background: #777; padding: 0 .25rem; margin: 0 .2rem; border-radius: .2rem; }
          .gap { color: #777; }
          .note { display: block; font-size: .85rem; border-left: 3px solid #aaa; padding-left: .5rem; margin: .5rem 0; }
          .parallel { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
          .parallel.rows { display: block; }
          .parallel .row { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; align-items: start; }
          header.source dl.metadata { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: .3rem 0; }
          nav.contents li { list-style: none; display: flow-root; }  /* each entry holds its own page number */
          nav.contents .toc-page { float: right; color: #666; margin-left: 1rem; }
          .boilerplate { color: #777; font-size: .85rem; border-top: 1px solid #ccc; margin-top: 2rem; }
          .legend span { margin-right: 1rem; }
          body.facsimile { max-width: 80rem; }
          .page { float: right; clear: right; width: 42%; margin: 0 0 1rem 1.5rem; position: relative; font-family: sans-serif; font-size: .7rem; color: #666; }
          .page img { width: 100%; display: block; border: 1px solid #ccc; }
          .page .zone { position: absolute; display: none; outline: 2px solid #d5573a; background: rgba(213, 87, 58, .12); }
          .page .zone.on { display: block; }
          .lb.on + * , .line-on { background: #fde2d8; }
        </style>
      </head>
      <body>
        <xsl:if test="tei:facsimile"><xsl:attribute name="class">facsimile</xsl:attribute></xsl:if>
        <header class="source">
          <div><strong><xsl:value-of select="tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[1]"/></strong>
            <xsl:for-each select="tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author"> — <xsl:value-of select="."/></xsl:for-each></div>
          <xsl:if test="tei:text/tei:front/tei:div[@type='metadata']">
            <dl class="metadata">
              <xsl:for-each select="tei:text/tei:front/tei:div[@type='metadata']/tei:p">
                <dt><xsl:value-of select="normalize-space(substring-before(., ':'))"/></dt>
                <dd><xsl:value-of select="normalize-space(substring-after(., ':'))"/></dd>
              </xsl:for-each>
            </dl>
          </xsl:if>
          <div>Source: <xsl:value-of select="tei:teiHeader//tei:idno[@type='filename']"/>;
            <xsl:value-of select="tei:teiHeader//tei:bibl/tei:note[@type='encoding' or @type='digitization']"/></div>
          <xsl:if test="$manifest != ''">
            <div>In a IIIF viewer: <a class="iiif-manifest" href="{$manifest}">IIIF manifest</a></div>
          </xsl:if>
          <div class="legend">Marks: <span class="corr">corrected</span><span class="reg">regularized</span>
            <span class="unclear">flagged</span><span class="fw">page furniture</span><span class="pb">page</span>
            (hover for the original)<xsl:if test="//tei:choice/tei:orig[1][translate(., 'ſꝛﬅﬆ&#x364;', '') != .]">
              <label><input type="checkbox" id="show-letterforms"/> mark every historical letterform regularized (ſ → s)</label></xsl:if></div>
        </header>
        <xsl:apply-templates select="tei:text"/>
        <xsl:if test="tei:facsimile">
          <script>
            // Hovering a line outlines it on its page image: the line is the text after the
            // nearest line marker (lb, or fw for page furniture) before the mouse.
            (function () {
              var lit = null;
              function markerBefore(node) {
                var walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_ELEMENT);
                var found = null, element;
                while ((element = walker.nextNode())) {
                  if (element.dataset.zone) {
                    if (node.compareDocumentPosition(element) &amp; Node.DOCUMENT_POSITION_FOLLOWING) break;
                    found = element;
                  }
                }
                return found;
              }
              document.addEventListener("mousemove", function (event) {
                var range = document.caretRangeFromPoint ? document.caretRangeFromPoint(event.clientX, event.clientY) : null;
                var node = range ? range.startContainer : null;
                var marker = node &amp;&amp; node.closest ? node.closest("[data-zone]") : null;
                marker = marker || (node ? markerBefore(node) : null);
                var zone = marker ? document.getElementById("z-" + marker.dataset.zone) : null;
                if (zone === lit) return;
                if (lit) lit.classList.remove("on");
                if (zone) zone.classList.add("on");
                lit = zone;
              });
            })();
          </script>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="tei:text"><main><xsl:apply-templates/></main></xsl:template>
  <xsl:template match="tei:front"><section class="front"><xsl:apply-templates/></section></xsl:template>
  <xsl:template match="tei:titlePage"><div class="titlePage"><xsl:apply-templates/></div></xsl:template>
  <xsl:template match="tei:docTitle"><h1><xsl:apply-templates/></h1></xsl:template>
  <xsl:template match="tei:titlePart"><xsl:apply-templates/></xsl:template>
  <xsl:template match="tei:docAuthor"><p class="author"><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:div[@type='contents']"><nav class="contents"><xsl:apply-templates/></nav></xsl:template>
  <xsl:template match="tei:div[@type='contents']/tei:head"><h2><xsl:apply-templates/></h2></xsl:template>
  <xsl:template match="tei:list"><ul><xsl:apply-templates/></ul></xsl:template>
  <xsl:template match="tei:item"><li id="{@xml:id}"><xsl:apply-templates/></li></xsl:template>
  <xsl:template match="tei:item/tei:ref"><span class="toc-page" title="page {@n}"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:body[tei:div[@type='translation'] and tei:div[@type='original']]">
    <xsl:variable name="translation" select="tei:div[@type='translation']"/>
    <xsl:variable name="original" select="tei:div[@type='original']"/>
    <xsl:choose>
      <xsl:when test="$translation//*[@corresp]">
        <!-- one row per pair (@corresp), so that each pair starts at the same height -->
        <div class="parallel rows">
          <div class="row">
            <div class="translation" lang="{$translation/@xml:lang}">
              <xsl:apply-templates select="$translation//*[self::tei:p or self::tei:head or self::tei:byline][not(@corresp)]"/>
            </div>
            <div class="original" lang="{$original/@xml:lang}">
              <xsl:apply-templates select="$original//*[self::tei:p or self::tei:head or self::tei:byline][not(@corresp)]"/>
            </div>
          </div>
          <xsl:for-each select="$translation//*[@corresp]">
            <div class="row pair">
              <div class="translation" lang="{$translation/@xml:lang}"><xsl:apply-templates select="."/></div>
              <div class="original" lang="{$original/@xml:lang}"><xsl:apply-templates select="id(substring(current()/@corresp, 2))"/></div>
            </div>
          </xsl:for-each>
        </div>
      </xsl:when>
      <xsl:otherwise><div class="parallel"><xsl:apply-templates/></div></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:div">
    <!-- class and lang only with a value: an empty lang would cancel the inherited one -->
    <section>
      <xsl:if test="@type"><xsl:attribute name="class"><xsl:value-of select="@type"/></xsl:attribute></xsl:if>
      <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>
  <xsl:template match="tei:back"><section class="boilerplate"><xsl:apply-templates/></section></xsl:template>
  <xsl:template match="tei:head">
    <xsl:element name="h{count(ancestor::tei:div) + 1}">
      <xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute><xsl:apply-templates/>
    </xsl:element>
  </xsl:template>
  <xsl:template match="tei:p">
    <p id="{@xml:id}">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if>
      <xsl:if test="@corresp"><xsl:attribute name="data-corresp"><xsl:value-of select="substring(@corresp, 2)"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </p>
  </xsl:template>
  <xsl:template match="tei:byline"><p class="byline" id="{@xml:id}"><xsl:apply-templates/></p></xsl:template>
  <!-- the source's own metadata lines (Title:, Author:, …) are shown in the page's header -->
  <xsl:template match="tei:front/tei:div[@type='metadata']"/>
  <xsl:template match="tei:opener"><p class="opener"><xsl:apply-templates/></p></xsl:template>
  <xsl:template match="tei:salute"><xsl:apply-templates/></xsl:template>

  <xsl:template match="tei:choice[tei:sic]">
    <xsl:variable name="why" select="id(translate(@ana, '#', ''))"/><!-- its category and its reason -->
    <span class="corr" title="original: {tei:sic} — {$why/tei:catDesc}: {$why[self::tei:interp]}"><xsl:apply-templates select="tei:corr"/></span>
  </xsl:template>
  <!-- the letterforms of stages/letterforms.py (long s, r rotunda, st ligatures, superscript e);
       an original holds one when translate() deleting them changes it -->
  <xsl:template match="tei:choice[tei:orig]">
    <xsl:variable name="why" select="id(translate(@ana, '#', ''))"/><!-- its category and its reason -->
    <span class="reg" title="original: {tei:orig} — {$why/tei:catDesc}: {$why[self::tei:interp]}"><xsl:if test="translate(tei:orig, 'ſꝛﬅﬆ&#x364;', '') != string(tei:orig)"><xsl:attribute name="class">reg letterform</xsl:attribute></xsl:if><xsl:apply-templates select="tei:reg"/></span>
  </xsl:template>
  <xsl:template match="tei:unclear">
    <xsl:variable name="why" select="id(translate(@ana, '#', ''))"/><!-- its category and its reason -->
    <span class="unclear" title="{@reason}: {$why/tei:catDesc}: {$why[self::tei:interp]}"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:fw">
    <xsl:variable name="why" select="id(translate(@ana, '#', ''))"/><!-- its category and its reason -->
    <span class="fw" title="{@type}: {$why/tei:catDesc}: {$why[self::tei:interp]}"><xsl:if test="@facs"><xsl:attribute name="data-zone"><xsl:value-of select="substring(@facs, 2)"/></xsl:attribute></xsl:if><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:pb">
    <span class="pb" title="page break">p.<xsl:if test="@n"><xsl:text> </xsl:text><xsl:value-of select="@n"/></xsl:if></span>
    <xsl:variable name="surface" select="id(substring(@facs, 2))"/>
    <xsl:variable name="image" select="($surface/tei:graphic[@n='display'] | $surface/tei:graphic[not(@n)][contains('|png|jpg|jpeg|gif|webp|', concat('|', translate(substring-after(substring(@url, string-length(@url) - 4), '.'), 'PNGJIFEWB', 'pngjifewb'), '|'))])[1]"/>
    <xsl:if test="$image and $surface/@lrx">
      <span class="page" title="page image {$surface/tei:graphic[1]/@url}">
        <img src="{$image/@url}" alt="page image" loading="lazy"/>
        <xsl:for-each select="$surface/tei:zone">
          <span class="zone" id="z-{@xml:id}" style="left:{@ulx * 100 div $surface/@lrx}%;top:{@uly * 100 div $surface/@lry}%;width:{(@lrx - @ulx) * 100 div $surface/@lrx}%;height:{(@lry - @uly) * 100 div $surface/@lry}%"/>
        </xsl:for-each>
      </span>
    </xsl:if>
  </xsl:template>
  <xsl:template match="tei:gap"><span class="gap" title="{@reason}">[…]</span></xsl:template>
  <xsl:template match="tei:note">
    <!-- a word processor's note gets its number; a printed note's mark begins its own text -->
    <span class="note" id="{@xml:id}"><xsl:if test="@n and not(starts-with(normalize-space(.), @n))"><sup><xsl:value-of select="@n"/></sup><xsl:text> </xsl:text></xsl:if><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:ref[@type='noteAnchor']">
    <!-- a word processor's reference ([footnoteRef:n]) shows its number; a printed mark, itself -->
    <xsl:choose>
      <xsl:when test="tei:choice"><sup><a href="#{substring(@target, 2)}" title="{.}"><xsl:value-of select="substring-after(substring-before(., ']'), ':')"/></a></sup></xsl:when>
      <xsl:otherwise><a href="#{substring(@target, 2)}"><xsl:value-of select="."/></a></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <!-- a line break is a space between words, none inside a word broken at the line's end -->
  <xsl:template match="tei:lb"><xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if></xsl:template>
  <xsl:template match="tei:lb[@facs]"><span class="lb" data-zone="{substring(@facs, 2)}"><xsl:if test="not(@break = 'no')"><xsl:text> </xsl:text></xsl:if></span></xsl:template>
  <xsl:template match="tei:g"/>
</xsl:stylesheet>
