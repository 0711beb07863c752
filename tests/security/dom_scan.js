// What would run later, or ran without calling back: a description of each finding.
() => {
  const found = [];
  const squash = (value) =>
    value.replace(/[\u0000-\u0020\u00ad\u200b-\u200f\u2028-\u202e]/g, '').toLowerCase();
  const urlAttributes = [
    'href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcdoc',
  ];
  const jsTypes = ['', 'text/javascript', 'module', 'application/javascript'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = squash(attr.value);
      if (name.startsWith('on') && value.includes('xss')) found.push(`${tag}[${name}]`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text\/html)/.test(value)) {
        found.push(`${tag}[${name}=${value.slice(0, 40)}]`);
      }
      if (name === 'srcdoc' && value.includes('xss')) found.push(`${tag}[srcdoc]`);
      if (name === 'style' && /expression\(|javascript:/.test(value)) found.push(`${tag}[style]`);
      if (name === 'http-equiv' && value === 'refresh') found.push('meta refresh');
    }
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'script' && jsTypes.includes(type) && /xss/.test(el.textContent)) {
      found.push('script: ' + el.textContent.slice(0, 40));
    }
    if (tag === 'style' && /javascript:|expression\(/i.test(el.textContent)) found.push('style');
    if (tag === 'base') found.push('base element');
  }
  return found;
}
