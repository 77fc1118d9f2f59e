"""The characters that stand for a hyphen breaking a word at a line's end: -, the hyphen
sign, ¬ and ⸗ (Fraktur), = (how OCR engines and transcribers often write ⸗, which few fonts
have) and the soft hyphen. Read by the text's hyphenation and paragraph rules and by the
page readers, which meet the same hyphens."""

LINE_END_HYPHENS = "-\u2010¬⸗=\u00ad"
