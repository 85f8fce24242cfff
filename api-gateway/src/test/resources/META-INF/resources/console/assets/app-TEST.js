// test fixture standing in for the console jar's bundle
document.getElementById("app").textContent = "console-fixture-script";
