// The Typst template of every document, laid out to GB/T 9704-2012 (党政机关公文格式) as far as Typst allows
// (docs/domain.md, "Official documents"). The document's words arrive as JSON in `sys.inputs.data` and are
// placed as strings, which Typst prints as they are: no user text is ever read as markup or code.
//
// Geometry (GB/T 9704-2012 §5): A4; 版心 156 × 225 mm, top margin 37 mm, left (订口) 28 mm; 22 lines of
// 28 characters of 3号 (16 pt) 仿宋: the line pitch is 225 mm / 22, the tracking 156 mm / 28 − 16 pt.
// Fonts (§6.2 and the elements' sections): 发文机关标志 and title in 小标宋 (2号, 22 pt), body 仿宋, headings 黑体,
// page numbers 4号 (14 pt) — each a list, the office's licensed font first and Noto CJK after it.

export const TEMPLATE = String.raw`
#let d = json(bytes(sys.inputs.data))
#let fonts = d.fonts
#let red = rgb(230, 0, 18)
#let pitch = 225mm / 22
#let body-size = 16pt

#set document(
  title: d.model.metaTitle,
  author: d.model.author,
  date: datetime(year: d.model.date.at(0), month: d.model.date.at(1), day: d.model.date.at(2)),
)
#set page(
  paper: "a4",
  margin: (top: 37mm, left: 28mm, right: 210mm - 28mm - 156mm, bottom: 297mm - 37mm - 225mm),
  footer-descent: 7mm,
  footer: context {
    // 页码 (§7.5): 4号 Arabic numerals between two 一字线, 7 mm under the 版心, odd pages right, even pages left,
    // one character from the edge.
    let n = counter(page).get().first()
    set text(font: fonts.song, size: 14pt, tracking: 0pt)
    let s = [— #n —]
    if calc.odd(n) { align(right, s + h(1em)) } else { align(left, h(1em) + s) }
  },
)
#set text(
  lang: "zh",
  region: "cn",
  font: fonts.body,
  size: body-size,
  top-edge: 1em,
  bottom-edge: "baseline",
  tracking: 156mm / 28 - body-size,
  cjk-latin-spacing: none,
)
#set par(
  leading: pitch - body-size,
  spacing: pitch - body-size,
  first-line-indent: (amount: 2em, all: true),
  justify: true,
)

#let lines-of(s) = s.split("\n")
#let spacer(n) = v(n * pitch, weak: false)

// 版头 (§7.2): the issuing body's mark in red 小标宋, centred, its top 35 mm below the 版心's; the document number
// two lines under it; the red rule 4 mm under the number, as wide as the 版心.
#if d.model.header != none {
  v(35mm - (pitch - body-size))
  context {
    let size = 42pt
    let probe = text(font: fonts.title, weight: "bold", size: size, tracking: 0pt, d.model.header)
    let w = measure(probe).width
    let fit = if w > 156mm { size * (156mm / w) } else { size }
    let mark = text.with(font: fonts.title, weight: "bold", size: fit, tracking: 0pt, top-edge: "cap-height", fill: red)
    align(center, mark(d.model.header))
  }
  spacer(1)
  if d.model.number != none {
    align(center, text(d.model.number))
  }
  v(4mm - (pitch - body-size))
  line(length: 100%, stroke: 0.7mm + red)
  spacer(1)
}

// 标题 (§7.3.1): 2号小标宋, centred, in as many lines as it needs; a blank line after it.
#{
  set par(first-line-indent: 0em, justify: false, leading: 0.45em)
  set text(font: fonts.title, weight: "bold", size: 22pt, tracking: 0pt, top-edge: "cap-height")
  for t in lines-of(d.model.title) { align(center, t) }
}
#spacer(0.5)

// 主送机关 (§7.3.2): flush left, a full-width colon after it.
#if d.model.addressee != none {
  par(first-line-indent: 0em, d.model.addressee + "：")
}

// 正文 (§7.3.3): paragraphs indented two characters; headings in 黑体.
// The last paragraph sticks to the signature below it, which never stands alone on a page (§7.3.5.3).
#for (i, p) in d.model.body.enumerate() {
  let last = i == d.model.body.len() - 1 and d.model.signature != none
  if p.style == "heading" {
    block(sticky: true, par(text(font: fonts.hei, p.text)))
  } else if last {
    block(sticky: true, par(p.text))
  } else {
    par(p.text)
  }
}

// 审批表: the request, then every step of the procedure with its signature's name and date.
#if d.model.form != none {
  set par(first-line-indent: 0em, justify: false, leading: 0.5em, spacing: 0.5em)
  set text(size: 12pt, tracking: 0pt)
  let cell(s) = { for l in lines-of(s) { par(l) } }
  table(
    columns: (6em, 1fr),
    inset: 6pt,
    ..d.model.form.rows.map(r => (text(font: fonts.hei, r.at(0)), cell(r.at(1)))).flatten(),
  )
  if d.model.form.steps.len() > 0 {
    v(0.5em)
    par(text(font: fonts.hei, size: 14pt, "办理过程"))
    table(
      columns: (3em, 5.8em, 4.4em, 6.2em, 8.2em, 1fr),
      inset: 5pt,
      table.header(..("序号", "环节", "办理人", "角色", "时间", "意见").map(h => text(font: fonts.hei, h))),
      ..d.model.form.steps.map(s => s.map(c => cell(c))).flatten(),
    )
  }
  v(0.5em)
  align(right, text(size: 12pt, d.model.printDate))
}

// 出席/缺席 (§10.3, 纪要): 黑体 label, then the names, continued lines aligned after the colon.
#if d.model.attendance.len() > 0 {
  spacer(0.3)
  for a in d.model.attendance {
    grid(columns: (2em, auto, 1fr), [], text(font: fonts.hei, a.label + "："), par(first-line-indent: 0em, a.names))
    v(pitch - body-size, weak: true)
  }
}

// 发文机关署名与成文日期 (§7.3.5.3, 不加盖印章): the name two characters from the right, the date (Chinese
// numerals) under it, starting two characters further right.
#if d.model.signature != none {
  spacer(1)
  align(right, block(inset: (right: 2em), grid(
    columns: 1,
    row-gutter: pitch - body-size,
    align: left,
    d.model.signature.name,
    pad(left: 2em, d.model.signature.date),
  )))
}

// 版记 (§7.4): at the foot of the last page (a float: on the next page's foot when it does not fit), between a
// thick first and last rule and a thin one between 抄送 and 印发; 4号 text one character in from each side.
#if d.model.printer != none {
  place(bottom, float: true, clearance: 0pt, block(breakable: false, width: 100%, {
    set align(top + left) // not the float's bottom
    set text(size: 14pt, tracking: 0pt)
    set par(first-line-indent: 0em, justify: false, leading: 0.6em, spacing: 0.6em)
    line(length: 100%, stroke: 0.35mm)
    if d.model.copyTo != none {
      v(0.2em)
      pad(x: 1em, grid(columns: (auto, 1fr), [抄送：], [#d.model.copyTo]))
      v(0.2em)
      line(length: 100%, stroke: 0.25mm)
    }
    v(0.2em)
    pad(x: 1em, grid(columns: (1fr, auto), [#d.model.printer], [#d.model.printDate]))
    v(0.2em)
    line(length: 100%, stroke: 0.35mm)
  }))
}
`;
