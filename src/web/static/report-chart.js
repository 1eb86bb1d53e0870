// The report's bar chart: median days against the published frist per ydelse (the table holds the figures).
(function () {
  const canvas = document.getElementById("tider-diagram");
  if (!canvas) return;
  const data = (key) => JSON.parse(canvas.dataset[key]);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data("labels"),
      datasets: [
        { label: "Median (dage)", data: data("median"), backgroundColor: "#1f5fa8" },
        { label: "Frist (dage)", data: data("frist"), backgroundColor: "#8a5a00" },
      ],
    },
    options: { animation: false, locale: "da-DK", scales: { y: { beginAtZero: true, title: { display: true, text: "Dage" } } } },
  });
})();
