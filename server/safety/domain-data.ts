/**
 * Fixed facts about the domain name system used by the link detector and
 * classifier. None of this is province-specific (the allow-list of official
 * domains lives in knowledge/dictionaries/official-domains.yaml).
 */

/** Assigned two-letter country-code top-level domains (IANA root zone). */
const COUNTRY_CODE_TLDS = `ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz
ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gd ge gf gg
gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky
kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np
nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx
sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw`.split(/\s+/);

/**
 * Generic TLDs accepted when spotting a bare domain in text. File extensions
 * that are also TLDs (zip, mov) are left out on purpose: "hoso.zip" in a
 * citizen's message is a file name far more often than a link.
 */
const GENERIC_TLDS = `com net org info biz edu gov mil int name pro mobi asia tel travel jobs cat coop aero museum
xyz top site online shop club vip app io me cc tk ml ga cf gq live link click buzz icu store tech website space fun life win
cfd sbs bond cyou rest monster quest work loan bid gdn lol mom pw today world news blog cloud digital email group agency center
company network services solutions support systems host press uno ink tv ws ai co one trade vin bet casino games game poker
finance money bank credit loans cash pay shopping deals sale market best plus global zone team studio media social chat
page dev art design love fit run red blue green pink black gold city land estate realty house homes capital fund ltd inc llc
wiki guru expert academy school college university education institute training courses`.split(/\s+/);

export const KNOWN_TLDS: ReadonlySet<string> = new Set([...COUNTRY_CODE_TLDS, ...GENERIC_TLDS]);

/**
 * TLDs that public abuse reports (Spamhaus "most abused TLDs", Interisle
 * "Phishing Landscape") rank among the most used for phishing and fraud, plus
 * the former free Freenom ccTLDs. Not proof of a scam: one reason among others.
 */
export const UNCOMMON_TLDS: ReadonlySet<string> = new Set(
  `xyz top site online click buzz icu tk ml ga cf gq vip shop club live fun cfd sbs cyou bond win rest monster quest work loan bid gdn lol mom pw`.split(
    /\s+/,
  ),
);

/** Two-label public suffixes, so that the registrable name of x.com.vn is "x". */
export const MULTI_LABEL_SUFFIXES: ReadonlySet<string> = new Set(
  `com.vn net.vn org.vn edu.vn gov.vn int.vn ac.vn biz.vn info.vn name.vn pro.vn health.vn
co.uk org.uk ac.uk gov.uk com.au net.au org.au com.cn net.cn org.cn com.br co.jp co.kr com.sg com.my co.th com.tw com.hk co.id co.in com.ph com.kh com.la`.split(
    /\s+/,
  ),
);

/** Well-known URL shorteners: the real destination is hidden. */
export const URL_SHORTENERS: ReadonlySet<string> = new Set(
  `bit.ly bitly.com tinyurl.com t.ly shorturl.at rebrand.ly cutt.ly is.gd v.gd s.id goo.gl ow.ly buff.ly t.co tiny.cc rb.gy
shorte.st adf.ly bl.ink short.io tiny.one lnkd.in surl.li urlz.fr x.gd shorturl.asia`.split(/\s+/),
);

/**
 * TLDs that are also common Vietnamese syllables written without diacritics
 * ("la", "me", "co", "to", "so"...). A capitalised one right after a dot is the
 * start of the next sentence typed without a space ("xong.Có"), not a domain.
 */
export const WORD_LIKE_TLDS: ReadonlySet<string> = new Set(
  `la me co to so ma mo do no ne ve ba bo ai ca se si sa nu ta tu`.split(/\s+/),
);

/** Vietnamese administrative abbreviations that look like labels ("TP.HN", "Q.BT", "TX.ST"). */
export const ADDRESS_ABBREVIATIONS: ReadonlySet<string> = new Set(`tp tx tt q p h x kp tdp ubnd f`.split(/\s+/));
