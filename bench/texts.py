"""Labelled paragraphs for the benchmarks, composed for them (not taken from the seeds).

Each language has paragraphs of different lengths and registers; the encoding benchmark
also cuts short snippets from them, which is where statistical detectors fail most.
"""

PARAGRAPHS: dict[str, list[str]] = {
    "en": [
        "The archive received forty boxes of letters in the spring of 1952.",
        "Most of the correspondence concerns trade agreements, but a few letters discuss the harvest, the weather and the health of the writer’s family.",
        "“We cannot decide this today,” the minister wrote — and the question was left open for another decade.",
        "Scholars who consult the collection should note that several pages were trimmed before microfilming, so marginal notes are sometimes incomplete.",
        "Catalogue entries follow the order in which the boxes arrived, not the order in which the letters were written.",
    ],
    "fr": [
        "Le ministre a répondu que la question serait examinée à la prochaine séance.",
        "Les archives de la légation contiennent des dépêches chiffrées, des télégrammes et quelques lettres privées adressées à l’ambassadeur.",
        "À Genève, les délégués ont longuement discuté du désarmement général sans parvenir à un accord définitif.",
        "Cette édition conserve l’orthographe des documents originaux ; les corrections éventuelles sont signalées en note.",
    ],
    "de": [
        "Die Gesandtschaft berichtete über die Verhandlungen in Moskau und die Haltung der Regierung.",
        "Im Frühjahr wurden die Akten in das Staatsarchiv überführt, wo sie bis heute größtenteils unerschlossen liegen.",
        "Der Außenminister äußerte sich vorsichtig über die Möglichkeit eines Handelsabkommens mit den Nachbarländern.",
        "Für die Edition wurden sämtliche Briefe neu transkribiert und mit den erhaltenen Entwürfen verglichen.",
    ],
    "es": [
        "El embajador informó al ministerio sobre las negociaciones comerciales con los países vecinos.",
        "La colección incluye cartas, telegramas y fotografías que documentan la vida diplomática de la época.",
        "Según el informe, la delegación llegó a Ginebra a finales de septiembre y permaneció allí durante tres semanas.",
    ],
    "ru": [
        "Министр иностранных дел сообщил, что переговоры будут продолжены в следующем месяце.",
        "В архиве сохранились письма, телеграммы и черновики докладов, написанные в годы войны.",
        "Советская дипломатия стремилась укрепить экономические связи с соседними государствами.",
    ],
    "ja": [
        "外交文書の多くは戦後に公開され、研究者によって詳しく調べられました。",
        "この資料は東京の図書館に保管されており、閲覧には事前の申請が必要です。",
        "大使は本国政府に対して、交渉の進み具合を毎週報告していました。",
    ],
    "ko": [
        "외교 문서의 대부분은 전쟁이 끝난 뒤에 공개되었고 많은 연구자들이 자세히 살펴보았습니다.",
        "이 자료는 서울의 국립 도서관에 보관되어 있으며 열람하려면 미리 신청해야 합니다.",
        "대사는 본국 정부에 협상의 진행 상황을 매주 보고하였습니다.",
    ],
    "zh-Hans": [
        "这批档案是在一九五二年春天入藏的，共有四十箱信件。",
        "大部分信件涉及贸易协定，也有一些谈到收成、天气和写信人家里的情况。",
        "研究者在使用这些材料时应当注意，有几页在拍摄缩微胶卷以前已经被裁切，所以页边的批注有时并不完整。",
        "外交部长在答复中说，这个问题将在下一次会议上讨论，目前还不能作出决定。",
        "这部书的目录按照各箱到达的先后编排，而不是按照信件写作的时间。",
    ],
    "zh-Hant": [
        "這批檔案是在一九五二年春天入藏的，共有四十箱信件。",
        "大部分信件涉及貿易協定，也有一些談到收成、天氣和寫信人家裡的情況。",
        "研究者在使用這些材料時應當注意，有幾頁在拍攝縮微膠卷以前已經被裁切，所以頁邊的批註有時並不完整。",
        "外交部長在答覆中說，這個問題將在下一次會議上討論，目前還不能作出決定。",
        "這部書的目錄按照各箱到達的先後編排，而不是按照信件寫作的時間。",
    ],
    # Languages langdetect does not know (it answers Italian or Catalan for Latin, Modern Greek
    # for Ancient Greek), and Modern Greek beside them, in both of its spellings.
    "la": [
        "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, tertiam qui ipsorum "
        "lingua Celtae, nostra Galli appellantur.",
        "Quo usque tandem abutere, Catilina, patientia nostra? quam diu etiam furor iste tuus nos eludet? quem ad "
        "finem sese effrenata iactabit audacia?",
        "Arma virumque cano, Troiae qui primus ab oris Italiam fato profugus Laviniaque venit litora, multum ille "
        "et terris iactatus et alto vi superum.",
    ],
    "grc": [
        "Ὅτι μὲν ὑμεῖς, ὦ ἄνδρες Ἀθηναῖοι, πεπόνθατε ὑπὸ τῶν ἐμῶν κατηγόρων, οὐκ οἶδα· ἐγὼ δ᾽ οὖν καὶ αὐτὸς "
        "ὑπ᾽ αὐτῶν ὀλίγου ἐμαυτοῦ ἐπελαθόμην.",
        "Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν, καὶ θεὸς ἦν ὁ λόγος. οὗτος ἦν ἐν ἀρχῇ πρὸς τὸν θεόν.",
        "Ἄνδρα μοι ἔννεπε, Μοῦσα, πολύτροπον, ὃς μάλα πολλὰ πλάγχθη, ἐπεὶ Τροίης ἱερὸν πτολίεθρον ἔπερσε· "
        "πολλῶν δ᾽ ἀνθρώπων ἴδεν ἄστεα καὶ νόον ἔγνω.",
    ],
    "el": [
        "Το αρχείο παρέλαβε σαράντα κιβώτια με επιστολές την άνοιξη του 1952, και οι περισσότερες αφορούν το εμπόριο.",
        "Ο υπουργός των εξωτερικών δήλωσε ότι οι διαπραγματεύσεις θα συνεχιστούν τον επόμενο μήνα στην Αθήνα.",
        "Ἡ κυβέρνησις ἀπεφάσισε νὰ αὐξήσῃ τοὺς μισθοὺς τῶν ὑπαλλήλων, διότι ἡ οἰκονομία τῆς χώρας δὲν δύναται "
        "πλέον νὰ ὑποστηρίξῃ τὴν σημερινὴν πολιτικήν.",
    ],
}

# Which legacy encodings can carry each language (UTF-8/16 carry all of them).
LEGACY_ENCODINGS: dict[str, list[str]] = {
    "en": ["cp1252", "gb18030"],
    "fr": ["cp1252", "latin-1"],
    "de": ["cp1252", "latin-1"],
    "es": ["cp1252", "latin-1"],
    "ru": ["cp1251", "koi8-r"],
    "ja": ["shift_jis"],
    "ko": ["euc-kr"],
    "zh-Hans": ["gb2312", "gbk", "gb18030"],
    "zh-Hant": ["big5", "big5hkscs", "gb18030"],
    "la": ["cp1252", "latin-1"],
    "grc": [],  # no supported single-byte code page carries Greek
    "el": ["cp1253", "iso8859-7"],
}
UNICODE_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16"]
