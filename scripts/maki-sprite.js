// Writes one SVG sprite of Maki's icons (scripts/vendor-js): each icon's paths in a <symbol>
// named after its file, which the markers draw with <use href="pictograms.svg#name">.
// Every Maki icon is paths only (their ids dropped) on a 15×15 view box; anything else stops the script.
"use strict";
const fs = require("fs");
const path = require("path");

const folder = process.argv[2];
const symbols = [];
for (const file of fs.readdirSync(folder).sort()) {
  if (!file.endsWith(".svg")) continue;
  const text = fs.readFileSync(path.join(folder, file), "utf8");
  const PATH = /<path((?:\s+(?:id|d)="[^"<>]*")+)\s*\/>/g;
  // Only the outline: a path's own id would clash with another icon's in one file.
  const paths = [...text.matchAll(PATH)].map((match) => `<path d="${/\bd="([^"]*)"/.exec(match[1])[1]}"/>`);
  const rest = text.replace(/<\?xml[^>]*\?>/, "").replace(/<svg [^>]*>/, "").replace(/<\/svg>/, "");
  if (!paths.length || rest.replace(PATH, "").trim()) throw new Error(`${file}: not paths only`);
  if (!/viewBox="0 0 15 15"/.test(text)) throw new Error(`${file}: not a 15×15 view box`);
  symbols.push(`<symbol id="${path.basename(file, ".svg")}" viewBox="0 0 15 15">${paths.join("")}</symbol>`);
}
process.stdout.write(`<svg xmlns="http://www.w3.org/2000/svg">\n${symbols.join("\n")}\n</svg>\n`);
