// Sortable tables: a button in each header sorts by that column (numbers as numbers, the
// rest as text), again to reverse. Without JavaScript the table stays in its first order.
for (const table of document.querySelectorAll<HTMLTableElement>("table[data-sortable]")) {
  const body = table.tBodies[0];
  if (body === undefined) continue;
  table.querySelectorAll<HTMLTableCellElement>("thead th").forEach((th, column) => {
    const label = th.textContent ?? "";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = label;
    th.textContent = "";
    th.append(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of table.querySelectorAll("thead th")) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row: HTMLTableRowElement) =>
        row.cells[column]?.dataset.sort ?? row.cells[column]?.textContent ?? "";
      const rows = [...body.rows].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const [nx, ny] = [Number(x), Number(y)];
        const order =
          x !== "" && y !== "" && !Number.isNaN(nx) && !Number.isNaN(ny)
            ? nx - ny
            : x.localeCompare(y);
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  });
}
