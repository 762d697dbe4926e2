// The login page: account, password and a name for this device. A refused
// login always reads 「账号或密码错误」, whether the account is unknown,
// locked, disabled or the password is wrong (the server does not say which,
// and neither does the page).
import { Code, ConnectError } from "@connectrpc/connect";
import { auth } from "./api";
import { el, mount } from "./dom";

export const WRONG_CREDENTIALS = "账号或密码错误";

function messageFor(error: unknown): string {
  const connectError = ConnectError.from(error);
  switch (connectError.code) {
    case Code.Unauthenticated:
    case Code.PermissionDenied:
      return WRONG_CREDENTIALS;
    case Code.InvalidArgument:
      return "请检查填写的内容：账号和密码不能为空，设备名称不超过 64 个字节";
    case Code.ResourceExhausted:
      return "尝试次数过多，请稍后再试";
    default:
      return "暂时无法登录，请检查网络后重试";
  }
}

export function showLogin(root: HTMLElement, onLoggedIn: () => void): void {
  const account = el("input", {
    id: "account",
    name: "account",
    autocomplete: "username",
    required: "",
    maxlength: "64",
  });
  const password = el("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: "",
  });
  const device = el("input", {
    id: "device",
    name: "device",
    autocomplete: "off",
    maxlength: "20",
    placeholder: "例如：执法平板 03",
  });
  const error = el("p", { id: "login-error", class: "error", role: "alert", "aria-live": "assertive" });
  const submit = el("button", { type: "submit" }, "登录");
  const form = el(
    "form",
    { class: "card", "aria-labelledby": "login-title", novalidate: "" },
    el("h1", { id: "login-title" }, "生态环境问题整改系统"),
    el("p", { class: "subtitle" }, "请使用本人账号登录"),
    el("label", { for: "account" }, "账号"),
    account,
    el("label", { for: "password" }, "密码"),
    password,
    el("label", { for: "device" }, "设备名称（可选）"),
    device,
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (account.value.trim() === "" || password.value === "") {
      error.textContent = "请输入账号和密码";
      (account.value.trim() === "" ? account : password).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = "正在登录…";
    try {
      await auth.login({
        accountName: account.value.trim(),
        password: password.value,
        deviceLabel: device.value.trim(),
      });
      password.value = "";
      onLoggedIn();
    } catch (e) {
      error.textContent = messageFor(e);
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = "登录";
    }
  });
  mount(root, el("main", { class: "login" }, form));
  account.focus();
}
