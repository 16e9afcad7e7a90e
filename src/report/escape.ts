/** Text safe inside HTML and SVG: the five characters that could open markup or end an attribute. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
