// The kvalitetsstandard's decision tables in dmn-js: pick a table, edit rules, deploy a new version.
// Problems come back with the decision/rule id; the editor opens that table and lists them.
(function () {
  const host = document.getElementById("dmn");
  const result = document.getElementById("resultat");
  const tabs = document.getElementById("tabeller");
  // dmn-js hands each view only its own additionalModules (not common's): give the Danish module to each.
  const danish = { additionalModules: [window.SagsflowDansk] };
  const modeler = new DmnJS({
    container: host,
    common: { keyboard: { bindTo: host } },
    drd: danish,
    decisionTable: danish,
    literalExpression: danish,
    boxedExpression: danish,
  });
  window.sagsflowDmn = modeler;

  function showTabs() {
    tabs.replaceChildren();
    const active = modeler.getActiveView();
    modeler.getViews().filter((v) => v.type === "decisionTable").forEach((view) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = view.name || view.id;
      button.dataset.decision = view.id;
      if (active && active.id === view.id) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => modeler.open(view).then(showTabs));
      li.appendChild(button);
      tabs.appendChild(li);
    });
  }

  async function load(xml) {
    await modeler.importXML(xml);
    const first = modeler.getViews().find((v) => v.type === "decisionTable");
    if (first) await modeler.open(first);
    showTabs();
    host.dataset.ready = "true";
  }

  fetch(host.dataset.xmlSrc, { credentials: "same-origin" }).then((r) => r.text()).then(load);

  function showProblems(message, problems) {
    const list = document.getElementById("fejlliste");
    list.replaceChildren();
    problems.forEach((p) => {
      const li = document.createElement("li");
      li.textContent = p.element_id ? `${p.element_id}: ${p.message}` : p.message;
      if (p.element_id) li.dataset.element = p.element_id;
      list.appendChild(li);
    });
    document.getElementById("fejl").hidden = false;
    result.className = "flash flash-error";
    result.textContent = message;
    const view = modeler.getViews().find((v) => problems.some((p) => p.element_id === v.id));
    if (view) modeler.open(view).then(showTabs);
  }

  document.getElementById("udrul").addEventListener("click", async () => {
    document.getElementById("fejl").hidden = true;
    result.className = "";
    result.textContent = "Udruller …";
    const { xml } = await modeler.saveXML({ format: true });
    const response = await fetch(host.dataset.deployUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content },
      body: JSON.stringify({ dmn: xml }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      result.className = "flash flash-success";
      result.textContent = body.created
        ? `Version ${body.version} er udrullet. Nye sager bruger den; kørende sager beholder deres værdier.`
        : body.activated
          ? `Tabellen er identisk med version ${body.version}, som nu igen gælder for nye sager.`
          : `Intet ændret: tabellerne er identiske med version ${body.version}.`;
    } else {
      showProblems(body.message || "Tabellerne blev afvist", body.problems || []);
    }
  });
})();
