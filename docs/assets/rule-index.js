// The home page's rule index, filtered in place: a row stays when every word typed is in its
// title, its line, its section or its full rule (the link's data-terms, from the rule source).
// Subscribed to Material's document$, so it runs on every page load, instant navigation too.
document$.subscribe(() => {
  const index = document.querySelector(".rulebook-index");
  if (index === null) return;
  const filter = index.querySelector(".rulebook-index__filter");
  const count = index.querySelector(".rulebook-index__count");
  const words = text => text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const rows = [...index.querySelectorAll("tbody tr")].map(row => {
    const terms = row.querySelector("a[data-terms]")?.dataset.terms ?? "";
    return { row, text: words(row.textContent).join(" ") + " " + terms };
  });
  const apply = () => {
    const wanted = words(filter.value);
    let shown = 0;
    for (const { row, text } of rows) {
      const match = wanted.every(word => text.includes(word));
      row.hidden = !match;
      shown += match ? 1 : 0;
    }
    count.textContent = wanted.length
      ? `${shown} of ${rows.length} rules match`
      : `${rows.length} rules`;
  };
  filter.addEventListener("input", apply);
  apply();
});
