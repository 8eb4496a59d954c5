import { AuthPage } from "@/components/AuthForm";

export default function SignupPage() {
  return <AuthPage mode="signup" />;
}
