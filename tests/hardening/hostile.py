"""A corpus of hostile HTML and text, put in every field that renders.

Each payload would set ``window.__pwned`` (or load a remote script) if it ever executed;
the browser test also fails on any CSP violation report, so a payload stopped only by
the CSP still counts as a defect.
"""

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><script>window.__pwned=2</script>',
    "<img src=x onerror=window.__pwned=3>",
    "<svg onload=window.__pwned=4>",
    "<svg><script>window.__pwned=5</script></svg>",
    '<a href="javascript:window.__pwned=6">clic</a>',
    '<a href="data:text/html,<script>parent.__pwned=7</script>">données</a>',
    '<iframe src="javascript:parent.__pwned=8"></iframe>',
    '<div style="position:fixed;inset:0;background:red">recouvre</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=9>",
    "</textarea><script>window.__pwned=10</script>",
    "'-alert(1)-'",
    "{{ 7*7 }} {% debug %}",
    '<body onload="window.__pwned=11">',
    '<input autofocus onfocus="window.__pwned=12">',
    "<details open ontoggle=window.__pwned=13>",
    "\u202eevil\u0000nul",
]
ONE_LINE = " ".join(PAYLOADS)

# What a rendered page must never contain, whatever the field.
FORBIDDEN_IN_DOM = """() => {
  const main = document.querySelector('main') || document.body;
  const bad = [];
  for (const el of main.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push(el.tagName + '[' + attr.name + ']');
      const link = ['href', 'src', 'action', 'formaction'].includes(attr.name);
      if (link && /^\\s*(javascript|data):/i.test(attr.value))
        bad.push(el.tagName + '[' + attr.name + '=' + attr.value.slice(0, 30) + ']');
    }
    // A JSON data block (<script type="application/json">) never runs: only code counts.
    const data = el.tagName === 'SCRIPT' && /json/.test(el.type);
    const active = ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName) && !data;
    if (active && /__pwned/.test(el.outerHTML)) bad.push(el.tagName);
  }
  if (window.__pwned) bad.push('window.__pwned=' + window.__pwned);
  return bad;
}"""
